import { describe, expect, it } from "vitest";
import type { UsageRow } from "@kon/protocol";
import { applyKontaskChange } from "../src/store/kontask-list.ts";
import { applySessionChange } from "../src/store/session-list.ts";
import { usageByDay, usageTotals } from "../src/logic/usage.ts";
import { kontask, session } from "./fixtures.ts";

describe("session list", () => {
  it("keeps the newest activity first through created, updated and deleted", () => {
    const a = session({ id: "a", lastActivityAt: "2026-03-01T10:00:00Z" });
    const b = session({ id: "b", lastActivityAt: "2026-03-01T11:00:00Z" });
    let list = applySessionChange([b, a], "updated", { ...a, lastActivityAt: "2026-03-01T12:00:00Z", title: "x" });
    expect(list.map((s) => [s.id, s.title])).toEqual([
      ["a", "x"],
      ["b", null],
    ]);
    list = applySessionChange(list, "deleted", b);
    expect(list.map((s) => s.id)).toEqual(["a"]);
    expect(applySessionChange(list, "deleted", b)).toBe(list);
  });
});

describe("kontask list", () => {
  const older = kontask({ id: "k1", createdAt: "2026-03-01T10:00:00Z" });
  it("adds new kontasks that match the filters, newest first", () => {
    const fresh = kontask({ id: "k2", createdAt: "2026-03-01T11:00:00Z", tags: ["x"] });
    expect(applyKontaskChange([older], {}, "created", fresh).map((k) => k.id)).toEqual(["k2", "k1"]);
    expect(applyKontaskChange([older], { tag: "y" }, "created", fresh)).toEqual([older]);
  });
  it("drops a kontask that no longer matches or was deleted, and updates in place", () => {
    expect(applyKontaskChange([older], { status: "pending" }, "updated", { ...older, status: "completed" })).toEqual([]);
    expect(applyKontaskChange([older], {}, "updated", { ...older, title: "new" })[0]?.title).toBe("new");
    expect(applyKontaskChange([older], {}, "deleted", older)).toEqual([]);
  });
});

describe("usage", () => {
  const tokens = { input: 10, output: 5, cacheRead: 0, cacheCreation: 0 };
  const rows: UsageRow[] = [
    { day: "2026-03-01", userId: "u1", username: "alice", agent: "claude", billing: "api", turns: 2, costUsd: 0.5, tokens },
    { day: "2026-03-03", userId: "u2", username: "bob", agent: "claude", billing: "api", turns: 1, costUsd: 0.25, tokens },
    { day: "2026-03-03", userId: "u1", username: "alice", agent: "reviewer", billing: "subscription", turns: 1, costUsd: 1, tokens },
    { day: "2026-03-03", userId: "u3deleted", username: null, agent: "claude", billing: "api", turns: 1, costUsd: 0.125, tokens },
  ];
  it("fills every day and splits by user or agent", () => {
    const all = usageByDay(rows, "2026-03-01", "2026-03-03", "cost", "all");
    expect(all.days).toEqual(["2026-03-01", "2026-03-02", "2026-03-03"]);
    expect(all.series).toEqual([{ name: "all", values: [0.5, 0, 1.375] }]);
    const byAgent = usageByDay(rows, "2026-03-01", "2026-03-03", "tokens", "agent");
    expect(byAgent.series).toEqual([
      { name: "claude", values: [15, 0, 30] },
      { name: "reviewer", values: [0, 0, 15] },
    ]);
  });
  it("totals per user, most expensive first", () => {
    expect(usageTotals(rows, "user")).toEqual([
      { name: "alice", turns: 3, costUsd: 1.5, tokens: 30 },
      { name: "bob", turns: 1, costUsd: 0.25, tokens: 15 },
      // A deleted user's spending stays, under their id.
      { name: "deleted user u3delete", turns: 1, costUsd: 0.125, tokens: 15 },
    ]);
  });
});
