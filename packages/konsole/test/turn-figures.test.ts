import { readFileSync } from "node:fs";
import { parseClaudeLine } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { costOf, contextWindowOf } from "../src/claude/pricing.ts";
import { TurnAccumulator } from "../src/claude/turn-accumulator.ts";
import { buildTurnFigures } from "../src/claude/turn-figures.ts";

const fixtures = new URL("../../protocol/test/fixtures/claude-cli-2.1.329/", import.meta.url);

function replay(name: string, dropResult = false): TurnAccumulator {
  const accumulator = new TurnAccumulator(0);
  const lines = readFileSync(new URL(name, fixtures), "utf8").split("\n").filter((line) => line.trim().length > 0);
  lines.forEach((line, index) => {
    const parsed = parseClaudeLine(line);
    if (dropResult && parsed.kind === "event" && parsed.event.type === "result") return;
    accumulator.observe(parsed, (index + 1) * 10);
  });
  return accumulator;
}

describe("pricing", () => {
  it("prices the fixture's tokens as the CLI does", () => {
    expect(costOf("claude-opus-5-5", { input: 100, output: 12, cacheRead: 50, cacheCreation: 20 })).toBeCloseTo(0.00075, 12);
    expect(costOf("us.anthropic.claude-opus-4-5-20251101", { input: 1_000_000, output: 0, cacheRead: 0, cacheCreation: 0 })).toBe(5);
    expect(costOf("claude-unknown-9", { input: 1, output: 1, cacheRead: 0, cacheCreation: 0 })).toBeUndefined();
    expect(contextWindowOf("claude-opus-5-5")).toBe(1_000_000);
  });
});

describe("turn figures", () => {
  it("takes a cold turn's cost from model_usage_since_last_result", () => {
    const accumulator = replay("cold-text-success.jsonl");
    const figures = buildTurnFigures(accumulator, 100, { previousTotalUsd: undefined, newConversation: true });
    expect(figures).toMatchObject({
      costSource: "cli",
      tokens: { input: 100, output: 12, cacheRead: 50, cacheCreation: 20 },
      model: "claude-opus-5-5",
      numTurns: 1,
      toolCallCount: 0,
      ttfeMs: 20,
      totalMs: 100,
    });
    expect(figures.costUsd).toBeCloseTo(0.00075, 12);
    expect(figures.lastCacheRatio).toBeCloseTo(70 / 1_000_000, 12);
  });

  it("never counts a resumed conversation's running total as the turn's cost", () => {
    const accumulator = replay("resume-recall-success.jsonl");
    const figures = buildTurnFigures(accumulator, 100, { previousTotalUsd: 0.00075, newConversation: false });
    expect(figures.costUsd).toBeCloseTo(0.00075, 12);
    expect(accumulator.result?.total_cost_usd).toBeCloseTo(0.0015, 12);
  });

  it("falls back to the difference from the previous running total", () => {
    const accumulator = replay("resume-recall-success.jsonl");
    if (accumulator.result) delete accumulator.result.model_usage_since_last_result;
    const figures = buildTurnFigures(accumulator, 100, { previousTotalUsd: 0.00075, newConversation: false });
    expect(figures.costSource).toBe("cli_delta");
    expect(figures.costUsd).toBeCloseTo(0.00075, 12);
  });

  it("prices a turn without a result from its assistant usage", () => {
    const accumulator = replay("max-turns-exceeded.jsonl", true);
    const figures = buildTurnFigures(accumulator, 1000, { previousTotalUsd: undefined, newConversation: true });
    expect(figures.costSource).toBe("usage");
    expect(figures.toolCallCount).toBe(3);
    expect(figures.numTurns).toBe(3);
    expect(figures.costUsd).toBeCloseTo(3 * costOf("claude-opus-5-5", { input: 100, output: 1, cacheRead: 50, cacheCreation: 20 })!, 12);
    expect(figures.toolMs).toBeGreaterThan(0);
    expect(figures.modelMs + figures.toolMs).toBe(figures.totalMs);
  });

  it("says so when the model is not in the price table", () => {
    const accumulator = new TurnAccumulator(0);
    accumulator.observe(
      parseClaudeLine(
        JSON.stringify({
          type: "assistant",
          session_id: "s",
          message: { id: "m1", role: "assistant", model: "claude-unknown-9", content: [{ type: "text", text: "hi" }], usage: { input_tokens: 5, output_tokens: 1 } },
        }),
      ),
      5,
    );
    const figures = buildTurnFigures(accumulator, 10, { previousTotalUsd: undefined, newConversation: true });
    expect(figures).toMatchObject({ costUsd: null, costSource: "unknown", lastCacheRatio: null });
    expect(accumulator.text).toBe("hi");
  });
});
