import { describe, expect, it } from "vitest";
import { formatAgo, formatCachePct, formatCost, formatDuration, formatTokens, timingSegments } from "../src/logic/format.ts";

describe("figures", () => {
  it("formats cost, duration, tokens and cache", () => {
    expect(formatCost(0.012345)).toBe("$0.0123");
    expect(formatCost(null)).toBe("$0.0000");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(5230)).toBe("5.2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatTokens({ input: 1200, output: 300, cacheRead: 20_000, cacheCreation: 0 })).toBe("22k tokens (1.2k in, 300 out, 20k cached)");
    expect(formatCachePct(41.6)).toBe("Last cache 42%");
  });

  it("says how long ago relative to the given time", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(formatAgo("2026-03-01T11:59:50Z", now)).toBe("just now");
    expect(formatAgo("2026-03-01T11:55:00Z", now)).toBe("5 min ago");
    expect(formatAgo("2026-02-28T12:00:00Z", now)).toBe("1 d ago");
  });

  it("splits a turn's time into TTFE, thinking, tools and the rest", () => {
    const segments = timingSegments({ totalMs: 5000, ttfeMs: 1000, thinkingMs: 2500, toolExecutionMs: 1000, toolCallCount: 2 });
    expect(segments.map((s) => [s.key, s.pct])).toEqual([
      ["ttfe", 20],
      ["thinking", 50],
      ["tools", 20],
      ["other", 10],
    ]);
    expect(timingSegments({ totalMs: 0 })).toEqual([]);
    expect(timingSegments({ totalMs: 1000, ttfeMs: null, thinkingMs: 1000 }).map((s) => s.key)).toEqual(["thinking"]);
  });
});
