import { DEFAULT_GUARDRAILS } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { createKonsoleBus } from "../src/events/bus.ts";
import { FreshLife, hotLifeShortfall } from "../src/pool/fresh-life.ts";
import { dueRetirement } from "../src/pool/hot-lifetime.ts";
import type { HotProfile } from "../src/pool/hot-profile.ts";
import { planPool } from "../src/pool/pool-plan.ts";
import { RefillBackoff } from "../src/pool/refill-backoff.ts";
import { WantedProfiles } from "../src/pool/wanted-profiles.ts";
import { ProcessSlots } from "../src/pool/process-slots.ts";
import { checkWorkspaceFiles, staysInUploads } from "../src/workspace-files.ts";

describe("refill back-off", () => {
  it("doubles the pause with each failure in a row and stops at the limit", () => {
    const backoff = new RefillBackoff(100, 3);
    backoff.recordFailure("boom", 0);
    expect(backoff.waitMs(0)).toBe(100);
    backoff.recordFailure("boom", 0);
    expect(backoff.waitMs(0)).toBe(200);
    backoff.recordFailure("boom again", 0);
    expect(backoff).toMatchObject({ failures: 3, stopped: true, lastError: "boom again", backoffUntil: null });
    expect(backoff.waitMs(10_000)).toBe(Number.POSITIVE_INFINITY);
    backoff.reset();
    expect(backoff).toMatchObject({ failures: 0, stopped: false, lastError: null });
    expect(backoff.waitMs(0)).toBe(0);
  });
});

describe("hot process lifetimes", () => {
  const limits = { idleMs: 1_000, maxPrompts: 2 };
  const facts = { bound: true, prompts: 0, lastUsedAt: 0, retireAt: 10_000 };

  it("retires at its age or token limit, its prompt limit, or after idling while bound", () => {
    expect(dueRetirement(facts, limits, 500)).toBeNull();
    expect(dueRetirement(facts, limits, 1_000)).toBe("idle");
    expect(dueRetirement({ ...facts, bound: false }, limits, 5_000)).toBeNull();
    expect(dueRetirement({ ...facts, prompts: 2 }, limits, 0)).toBe("max_prompts");
    expect(dueRetirement({ ...facts, bound: false }, limits, 10_000)).toBe("max_age");
    expect(dueRetirement({ ...facts, prompts: 5 }, { ...limits, maxPrompts: 0 }, 0)).toBeNull();
  });
});

describe("process slots", () => {
  it("tells the pool when a caller waits and when a slot is free again", async () => {
    const bus = createKonsoleBus({ check: true });
    const slots = new ProcessSlots(1, bus);
    let pressure = 0;
    let freed = 0;
    bus.on("slot.waiting", () => (pressure += 1));
    bus.on("slot.released", ({ handedOn }) => (freed += handedOn ? 0 : 1));
    expect(slots.tryAcquire()).toBe(true);
    const waiting = slots.acquire();
    expect(pressure).toBe(1);
    slots.release();
    await waiting;
    expect(freed).toBe(0);
    slots.release();
    expect(freed).toBe(1);
  });

  it("gives a freed slot to the user served longest ago, not to the longest backlog", async () => {
    const slots = new ProcessSlots(1);
    expect(slots.tryAcquire("hog")).toBe(true);
    const order: string[] = [];
    const wait = (owner: string) => slots.acquire(owner).then(() => order.push(owner));
    const all = [wait("hog"), wait("hog"), wait("hog"), wait("alice"), wait("bob"), wait("alice")];
    for (let i = 0; i < all.length; i++) {
      slots.release();
      await Promise.resolve();
    }
    await Promise.all(all);
    expect(order).toEqual(["alice", "bob", "hog", "alice", "hog", "hog"]);
  });
});

describe("upload names", () => {
  it("keeps files directly inside uploads/", () => {
    expect(staysInUploads("notes.txt")).toBe(true);
    expect(staysInUploads("../notes.txt")).toBe(false);
    expect(staysInUploads("a/b.txt")).toBe(false);
    expect(() => checkWorkspaceFiles([{ name: "..", data: "" }])).toThrow(/leaves the uploads folder/);
  });
});

const profile = (maxTurns: number): HotProfile => ({ maxTurns, permissionMode: undefined, allowedTools: ["Bash"] });
const turnsOf = (targets: { profile: HotProfile; count: number }[]) => targets.map((target) => [target.profile.maxTurns, target.count]);

describe("wanted pool profiles", () => {
  it("start with the default and spread the pool over the most recently asked for", () => {
    const wanted = new WantedProfiles(profile(50));
    expect(turnsOf(wanted.targets(2))).toEqual([[50, 2]]);
    wanted.note(profile(20));
    expect(turnsOf(wanted.targets(1))).toEqual([[20, 1], [50, 0]]);
    expect(turnsOf(wanted.targets(3))).toEqual([[20, 2], [50, 1]]);
    wanted.note({ ...profile(50) });
    expect(turnsOf(wanted.targets(1))).toEqual([[50, 1], [20, 0]]);
    for (const maxTurns of [1, 2, 3, 4]) wanted.note(profile(maxTurns));
    expect(turnsOf(wanted.targets(0))).toEqual([[4, 0], [3, 0], [2, 0], [1, 0]]);
  });

  it("plan: keep what a target wants, retire the rest, warm the most wanted shortfall", () => {
    const targets = [{ profile: profile(20), count: 1 }, { profile: profile(50), count: 1 }];
    const p50 = { id: "a", profile: profile(50) };
    const p7 = { id: "b", profile: profile(7) };
    const second50 = { id: "c", profile: profile(50) };
    const plan = planPool(targets, [p50, p7, second50]);
    expect(plan.surplus.map((hot) => hot.id)).toEqual(["b", "c"]);
    expect(plan.next?.maxTurns).toBe(20);
    expect(planPool(targets, [p50, { id: "d", profile: profile(20) }]).next).toBeUndefined();
  });
});

describe("the life of a fresh hot process", () => {
  it("is its maximum age, or less once konui grants shorter tokens", () => {
    const life = new FreshLife(3_000);
    expect(life.seconds).toBe(3_000);
    life.observe(179_600);
    expect(life.seconds).toBe(180);
    life.observe(3_000_000);
    expect(life.seconds).toBe(3_000);
    expect(hotLifeShortfall(undefined, 10)).toBeNull();
    expect(hotLifeShortfall(10, 10)).toBeNull();
    expect(hotLifeShortfall(11, 10)).toMatch(/executionTimeoutSec 11 .*\(10 s/);
  });

  it("covers konui's default execution timeout with the default maximum age", () => {
    const config = parseConfig({ KONSOLE_SERVICE_TOKEN: "a-service-token-of-some-length" });
    expect(hotLifeShortfall(DEFAULT_GUARDRAILS.execution_timeout_sec, config.hotMaxAgeSec)).toBeNull();
  });
});
