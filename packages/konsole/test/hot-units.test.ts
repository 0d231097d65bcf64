import { describe, expect, it } from "vitest";
import { dueRetirement } from "../src/pool/hot-lifetime.ts";
import { RefillBackoff } from "../src/pool/refill-backoff.ts";
import { ProcessSlots } from "../src/supervisor/process-slots.ts";
import { checkWorkspaceFiles, staysInUploads } from "../src/supervisor/workspace-files.ts";

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
    const slots = new ProcessSlots(1);
    let pressure = 0;
    let freed = 0;
    slots.onPressure(() => (pressure += 1));
    slots.onFreed(() => (freed += 1));
    expect(slots.tryAcquire()).toBe(true);
    const waiting = slots.acquire();
    expect(pressure).toBe(1);
    slots.release();
    await waiting;
    expect(freed).toBe(0);
    slots.release();
    expect(freed).toBe(1);
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
