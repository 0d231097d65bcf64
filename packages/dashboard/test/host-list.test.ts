import type { ObservedSession } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { hourSeries, shortPath } from "../src/logic/host.ts";
import { applyHostSession } from "../src/store/host-list.ts";

const usage = { tokens: { input: 1, output: 2, cacheRead: 3, cacheWrite5m: 4, cacheWrite1h: 5 }, costUsd: 0.5, messages: 1, unpricedMessages: 0 };
function observed(id: string, lastActivityAt: string, state: ObservedSession["state"] = "running"): ObservedSession {
  return {
    id,
    projectDir: "-p",
    cwd: "/p",
    gitBranch: null,
    title: id,
    models: [],
    firstActivityAt: lastActivityAt,
    lastActivityAt,
    state,
    usage,
    sidechainUsage: usage,
    toolCalls: {},
    filesChangedCount: 0,
    konsoleSessionId: null,
  };
}

describe("host session list", () => {
  const a = observed("a", "2026-11-20T10:00:00Z");
  const b = observed("b", "2026-11-20T11:00:00Z");
  it("puts a changed session where its latest activity puts it", () => {
    const moved = { ...a, lastActivityAt: "2026-11-20T12:00:00Z", usage: { ...usage, costUsd: 1 } };
    expect(applyHostSession([b, a], "active", moved)).toEqual([moved, b]);
    expect(applyHostSession([b], "all", a).map((s) => s.id)).toEqual(["b", "a"]);
  });
  it("drops a session that ended from the active list, and keeps it in the full one", () => {
    const ended = { ...a, state: "ended" as const };
    expect(applyHostSession([b, a], "active", ended)).toEqual([b]);
    const list = [b];
    expect(applyHostSession(list, "active", ended)).toBe(list);
    expect(applyHostSession([b, a], "all", ended)).toEqual([b, ended]);
  });
});

describe("host figures", () => {
  it("charts hourly rows in time order, tokens of every kind added up", () => {
    const row = (key: string, costUsd: number) => ({ key, ...usage, costUsd });
    expect(hourSeries([row("2026-11-20T11:00:00Z", 2), row("2026-11-20T10:00:00Z", 1)])).toEqual({
      xs: [Date.parse("2026-11-20T10:00:00Z") / 1000, Date.parse("2026-11-20T11:00:00Z") / 1000],
      cost: [1, 2],
      tokens: [15, 15],
    });
  });
  it("shortens a long folder to its last parts", () => {
    expect(shortPath("/home/me/work/trees/feature-x")).toBe("…/work/trees/feature-x");
    expect(shortPath("/srv/app")).toBe("/srv/app");
    expect(shortPath(null)).toBe("unknown folder");
  });
});
