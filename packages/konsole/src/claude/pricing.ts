// Per-model list prices in USD per million tokens, and context windows.
// Copied from the model catalog baked into the pinned CLI (@anthropic-ai/claude-code 2.1.329:
// `pricing_tiers` and `models[].pricing` / `models[].context.window` in bin/claude.exe, read
// with `strings`). Check: claude-opus-5-5 at 100 in / 12 out / 50 cache-read / 20 cache-write
// is 0.00075 USD, which is what that CLI reports in the fixtures. Cache writes cost per their
// lifetime (`cache_write_5m`, `cache_write_1h`: 1.25x and 2x input), and a tier with
// `long_prompt` prices a whole request at its long rates once input + cache read + cache write
// exceed `above_prompt_tokens` (in this catalog only haiku_55, above 100k); the CLI's own
// per-message formula, which `messageCostOf` follows.

import type { TokenCounts } from "@kon/protocol";

interface Rates {
  input: number;
  output: number;
  /** 5-minute cache writes. */
  cacheWrite: number;
  cacheWrite1h: number;
  cacheRead: number;
}

interface ModelPrice extends Rates {
  longPrompt?: Rates & { abovePromptTokens: number };
}

interface ModelInfo {
  price: ModelPrice;
  contextWindow: number;
}

const rates = (input: number, output: number, cacheWrite: number, cacheWrite1h: number, cacheRead: number): Rates => ({
  input,
  output,
  cacheWrite,
  cacheWrite1h,
  cacheRead,
});
const tier = rates;

const tiers = {
  tier_2_10: tier(2, 10, 2.5, 4, 0.2),
  tier_2_10_cache_read_0_10: tier(2, 10, 2.5, 4, 0.1),
  tier_3_15: tier(3, 15, 3.75, 6, 0.3),
  tier_5_25: tier(5, 25, 6.25, 10, 0.5),
  tier_15_75: tier(15, 75, 18.75, 30, 1.5),
  tier_10_50: tier(10, 50, 12.5, 20, 1),
  tier_10_50_cache_read_0_25: tier(10, 50, 12.5, 20, 0.25),
  tier_4_20_cache_read_0_20: tier(4, 20, 5, 8, 0.2),
  tier_8_40_cache_read_0_20: tier(8, 40, 10, 16, 0.2),
  haiku_35: tier(0.8, 4, 1, 1.6, 0.08),
  haiku_45: tier(1, 5, 1.25, 2, 0.1),
  haiku_55: { ...tier(0.1, 0.5, 0.125, 0.2, 0.01), longPrompt: { ...rates(0.5, 2.5, 0.625, 1, 0.05), abovePromptTokens: 100_000 } },
} as const;

const K200 = 200_000;
const M1 = 1_000_000;

const models: Record<string, ModelInfo> = {
  "claude-3-5-haiku": { price: tiers.haiku_35, contextWindow: K200 },
  "claude-haiku-4-5": { price: tiers.haiku_45, contextWindow: K200 },
  "claude-haiku-5-5": { price: tiers.haiku_55, contextWindow: M1 },
  "claude-3-5-sonnet": { price: tiers.tier_3_15, contextWindow: K200 },
  "claude-3-7-sonnet": { price: tiers.tier_3_15, contextWindow: K200 },
  "claude-sonnet-4-0": { price: tiers.tier_3_15, contextWindow: K200 },
  "claude-sonnet-4-5": { price: tiers.tier_3_15, contextWindow: K200 },
  "claude-sonnet-4-6": { price: tiers.tier_3_15, contextWindow: K200 },
  "claude-sonnet-5": { price: tiers.tier_2_10, contextWindow: M1 },
  "claude-sonnet-5-5": { price: tiers.tier_2_10_cache_read_0_10, contextWindow: M1 },
  "claude-opus-4-0": { price: tiers.tier_15_75, contextWindow: K200 },
  "claude-opus-4-1": { price: tiers.tier_15_75, contextWindow: K200 },
  "claude-opus-4-5": { price: tiers.tier_5_25, contextWindow: K200 },
  "claude-opus-4-6": { price: tiers.tier_5_25, contextWindow: K200 },
  "claude-opus-4-7": { price: tiers.tier_5_25, contextWindow: M1 },
  "claude-opus-4-8": { price: tiers.tier_5_25, contextWindow: M1 },
  "claude-opus-5": { price: tiers.tier_5_25, contextWindow: M1 },
  "claude-opus-5-5": { price: tiers.tier_4_20_cache_read_0_20, contextWindow: M1 },
  "claude-fable-5": { price: tiers.tier_10_50, contextWindow: M1 },
  "claude-fable-5-1": { price: tiers.tier_10_50_cache_read_0_25, contextWindow: M1 },
  "claude-fable-5-2": { price: tiers.tier_8_40_cache_read_0_20, contextWindow: M1 },
  "claude-mythos-5": { price: tiers.tier_10_50, contextWindow: M1 },
  "claude-mythos-5-1": { price: tiers.tier_10_50_cache_read_0_25, contextWindow: M1 },
  "claude-mythos-5-2": { price: tiers.tier_8_40_cache_read_0_20, contextWindow: M1 },
};
// The catalog's first-party ids of the 4.0 models have no minor version (`claude-sonnet-4-20250514`).
models["claude-sonnet-4"] = models["claude-sonnet-4-0"] as ModelInfo;
models["claude-opus-4"] = models["claude-opus-4-0"] as ModelInfo;

/** Finds a model by id, ignoring a provider prefix and a date suffix (`us.anthropic.…`, `…-20251001`). */
function lookup(model: string): ModelInfo | undefined {
  const bare = model
    .replace(/^.*\b(?=claude-)/, "")
    .replace(/-\d{8}$/, "")
    .replace(/\[1m\]$/, "");
  return models[bare];
}

function priceOf(model: string): ModelPrice | undefined {
  return lookup(model)?.price;
}

export function contextWindowOf(model: string): number | undefined {
  return lookup(model)?.contextWindow;
}

/** USD for these tokens on `model`, or undefined when the model is not in the table. */
export function costOf(model: string, tokens: TokenCounts): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  const perToken =
    tokens.input * price.input +
    tokens.output * price.output +
    tokens.cacheRead * price.cacheRead +
    tokens.cacheCreation * price.cacheWrite;
  return perToken / 1_000_000;
}

/** One API message's usage, with cache writes by lifetime. */
export interface MessageTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

/**
 * USD for one API message on `model` the way the CLI prices it (long-prompt tier by the
 * message's whole prompt, 1-hour cache writes at their own rate), or undefined for an unknown model.
 */
export function messageCostOf(model: string, tokens: MessageTokens): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h;
  const rate = price.longPrompt && prompt > price.longPrompt.abovePromptTokens ? price.longPrompt : price;
  const perToken =
    tokens.input * rate.input +
    tokens.output * rate.output +
    tokens.cacheRead * rate.cacheRead +
    tokens.cacheWrite5m * rate.cacheWrite +
    tokens.cacheWrite1h * rate.cacheWrite1h;
  return perToken / 1_000_000;
}
