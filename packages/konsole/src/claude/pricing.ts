// Per-model list prices in USD per million tokens, and context windows.
// Copied from the model catalog baked into the pinned CLI (@anthropic-ai/claude-code 2.1.329:
// `pricing_tiers` and `models[].pricing` / `models[].context.window` in bin/claude.exe, read
// with `strings`). Check: claude-opus-5-5 at 100 in / 12 out / 50 cache-read / 20 cache-write
// is 0.00075 USD, which is what that CLI reports in the fixtures.

import type { TokenCounts } from "@kon/protocol";

interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

interface ModelInfo {
  price: ModelPrice;
  contextWindow: number;
}

const tier = (input: number, output: number, cacheWrite: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheWrite,
  cacheRead,
});

const tiers = {
  tier_2_10: tier(2, 10, 2.5, 0.2),
  tier_2_10_cache_read_0_10: tier(2, 10, 2.5, 0.1),
  tier_3_15: tier(3, 15, 3.75, 0.3),
  tier_5_25: tier(5, 25, 6.25, 0.5),
  tier_15_75: tier(15, 75, 18.75, 1.5),
  tier_10_50: tier(10, 50, 12.5, 1),
  tier_10_50_cache_read_0_25: tier(10, 50, 12.5, 0.25),
  tier_4_20_cache_read_0_20: tier(4, 20, 5, 0.2),
  tier_8_40_cache_read_0_20: tier(8, 40, 10, 0.2),
  haiku_35: tier(0.8, 4, 1, 0.08),
  haiku_45: tier(1, 5, 1.25, 0.1),
  haiku_55: tier(0.1, 0.5, 0.125, 0.01),
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
