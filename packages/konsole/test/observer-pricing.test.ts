import { describe, expect, it } from "vitest";
import { costOf, messageCostOf, type MessageTokens } from "../src/claude/pricing.ts";

const none: MessageTokens = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
const M = 1_000_000;

describe("pricing one message the way the CLI does", () => {
  it("prices each kind of token, 5-minute cache writes at 1.25x input and 1-hour ones at 2x", () => {
    const model = "claude-sonnet-4-5-20250929";
    expect(messageCostOf(model, { ...none, input: M })).toBeCloseTo(3, 12);
    expect(messageCostOf(model, { ...none, output: M })).toBeCloseTo(15, 12);
    expect(messageCostOf(model, { ...none, cacheRead: M })).toBeCloseTo(0.3, 12);
    expect(messageCostOf(model, { ...none, cacheWrite5m: M })).toBeCloseTo(3.75, 12);
    expect(messageCostOf(model, { ...none, cacheWrite1h: M })).toBeCloseTo(6, 12);
  });

  it.each(["claude-haiku-4-5", "claude-opus-4-1", "claude-opus-4-5", "claude-sonnet-5", "claude-opus-5-5", "claude-fable-5-2"])(
    "keeps the cache-write ratios for %s",
    (model) => {
      const input = messageCostOf(model, { ...none, input: M }) ?? Number.NaN;
      expect(messageCostOf(model, { ...none, cacheWrite5m: M })).toBeCloseTo(input * 1.25, 9);
      expect(messageCostOf(model, { ...none, cacheWrite1h: M })).toBeCloseTo(input * 2, 9);
    },
  );

  it("agrees with the cost the pinned CLI reported for a recorded turn", () => {
    // packages/protocol/test/fixtures/claude-cli-2.1.329: 100 in, 12 out, 50 cache read, 20 cache write → 0.00075
    expect(messageCostOf("claude-opus-5-5", { input: 100, output: 12, cacheRead: 50, cacheWrite5m: 20, cacheWrite1h: 0 })).toBeCloseTo(
      0.00075,
      15,
    );
    expect(costOf("claude-opus-5-5", { input: 100, output: 12, cacheRead: 50, cacheCreation: 20 })).toBeCloseTo(0.00075, 15);
  });

  it("prices a whole request at the long-prompt rates past the tier's threshold (haiku 5.5: 100k prompt tokens)", () => {
    const atThreshold = { ...none, input: 60_000, cacheRead: 30_000, cacheWrite5m: 10_000, output: 1000 };
    expect(messageCostOf("claude-haiku-5-5", atThreshold)).toBeCloseTo((60_000 * 0.1 + 30_000 * 0.01 + 10_000 * 0.125 + 1000 * 0.5) / M, 12);
    const past = { ...atThreshold, cacheWrite1h: 1 };
    expect(messageCostOf("claude-haiku-5-5", past)).toBeCloseTo((60_000 * 0.5 + 30_000 * 0.05 + 10_000 * 0.625 + 1 + 1000 * 2.5) / M, 12);
    // Models without a long-prompt tier in the CLI's catalog stay at one rate.
    expect(messageCostOf("claude-sonnet-4-5", { ...none, input: 300_000 })).toBeCloseTo(0.9, 12);
  });

  it("finds models by provider prefix and date suffix, and knows none it has no price for", () => {
    expect(messageCostOf("us.anthropic.claude-sonnet-4-5-20250929", { ...none, input: M })).toBeCloseTo(3, 12);
    expect(messageCostOf("claude-sonnet-4-20250514", { ...none, input: M })).toBeCloseTo(3, 12);
    expect(messageCostOf("claude-opus-4-20250514", { ...none, input: M })).toBeCloseTo(15, 12);
    expect(messageCostOf("gpt-4o", { ...none, input: M })).toBeUndefined();
  });
});
