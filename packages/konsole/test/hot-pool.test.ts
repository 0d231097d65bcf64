import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { HotStatus } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { processGroupAlive } from "../src/claude/process-group.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

const idlePool = (status: HotStatus): HotStatus["processes"] => status.processes.filter((entry) => entry.sessionId === null && entry.state === "idle");

describe("the pre-warmed pool", () => {
  const h = useKonsoleHarness({ env: { KONSOLE_HOT_POOL_SIZE: "2", KONSOLE_MAX_PROCESSES: "4" } });

  it("warms up to its target, serves a new conversation from it and refills", async () => {
    await expect.poll(async () => idlePool(await h.hotStatus()).length, { timeout: 60_000, interval: 200 }).toBe(2);
    const warm = await h.hotStatus();
    expect(warm).toMatchObject({ poolSize: 2, targetSize: 2, activeSessions: 0 });
    expect(h.konui.issued.filter((entry) => entry.pooled)).toHaveLength(2);

    const first = await h.hotPrompt("pooled-1", { text: "Remember 5", userId: "user-5" });
    expect(first).toMatchObject({ status: "succeeded", reply: "OK" });
    const claimed = warm.processes.find((entry) => entry.pid === first.pid);
    expect(claimed?.claudeSessionId).toBe(first.claudeSessionId);
    // The pool token was bound to the session and user that claimed the process.
    const token = h.konui.issued.find((entry) => entry.pooled && entry.request.sessionId === "pooled-1");
    expect(token?.request.userId).toBe("user-5");
    expect(path.basename((await h.session("pooled-1")).cwd)).toBe(`hot-${first.claudeSessionId}`);

    await expect.poll(async () => idlePool(await h.hotStatus()).length, { timeout: 60_000, interval: 200 }).toBe(2);
    const refilled = await h.hotStatus();
    expect(refilled.activeSessions).toBe(1);
    expect(refilled.processes.filter((entry) => entry.sessionId === null).map((entry) => entry.pid)).not.toContain(first.pid);

    const second = await h.hotPrompt("pooled-1", { text: "What number?", userId: "user-5" });
    expect(second).toMatchObject({ reply: "The number is 5", pid: first.pid, claudeSessionId: first.claudeSessionId });
  }, 240_000);

  it("changes its target at run time", async () => {
    const before = await h.hotStatus();
    const response = await h.request("PUT", "/hot/config", { targetSize: 0 });
    expect(response.status).toBe(200);
    expect(((await response.json()) as HotStatus).targetSize).toBe(0);
    await expect.poll(async () => (await h.hotStatus()).poolSize, { timeout: 60_000 }).toBe(0);
    await expect.poll(async () => (await h.hotStatus()).processes.filter((entry) => entry.sessionId === null), { timeout: 60_000 }).toEqual([]);
    for (const entry of before.processes.filter((process) => process.sessionId === null)) expect(processGroupAlive(entry.pid ?? 0)).toBe(false);
    // The bound process is not part of the pool.
    expect((await h.session("pooled-1")).hot).toBe(true);
    expect((await h.request("PUT", "/hot/config", { targetSize: 99 })).status).toBe(400);
  }, 240_000);
});

describe("a pool that follows demand", () => {
  const h = useKonsoleHarness({ env: { KONSOLE_HOT_POOL_SIZE: "1" } });
  const warmWith = async (maxTurns: number) => {
    await expect.poll(async () => idlePool(await h.hotStatus()).map((entry) => entry.maxTurns), { timeout: 60_000, interval: 200 }).toEqual([maxTurns]);
    const [warm] = idlePool(await h.hotStatus());
    if (!warm) throw new Error("no warm pool process");
    return warm;
  };

  it("warms the profile new conversations asked for and serves the next one from it", async () => {
    const warm50 = await warmWith(50);
    const chat = await h.hotPrompt("demand-1", { text: "Remember 20", maxTurns: 20 });
    expect(chat.status).toBe("succeeded");
    expect(chat.pid).not.toBe(warm50.pid);

    // Nobody wants a 50 now: it is retired and a 20 is warmed in its place.
    const warm20 = await warmWith(20);
    await expect.poll(() => processGroupAlive(warm50.pid ?? 0), { timeout: 60_000 }).toBe(false);
    const next = await h.hotPrompt("demand-2", { text: "Remember 21", maxTurns: 20 });
    expect(next).toMatchObject({ status: "succeeded", pid: warm20.pid, claudeSessionId: warm20.claudeSessionId });
    await warmWith(20);
  }, 240_000);
});

describe("a crash loop", () => {
  const h = useKonsoleHarness({
    env: {
      CLAUDE_BIN: "/nonexistent/claude",
      KONSOLE_HOT_POOL_SIZE: "1",
      KONSOLE_HOT_REFILL_BACKOFF_MS: "100",
      KONSOLE_HOT_REFILL_MAX_FAILURES: "3",
    },
  });

  it("backs off, stops refilling and says so in status instead of spinning", async () => {
    await expect
      .poll(
        async () => {
          const status = await h.hotStatus();
          if (status.refill.backoffUntil) expect(Date.parse(status.refill.backoffUntil)).toBeGreaterThan(0);
          return status.refill.stopped;
        },
        { timeout: 60_000, interval: 20 },
      )
      .toBe(true);
    const stopped = await h.hotStatus();
    expect(stopped.refill).toMatchObject({ failures: 3, stopped: true, backoffUntil: null });
    expect(stopped.refill.lastError).toMatch(/ENOENT|could not start/i);
    expect(stopped.poolSize).toBe(0);
    const attempts = h.konui.issued.length;
    expect(attempts).toBe(3);
    await sleep(1_000);
    expect(h.konui.issued).toHaveLength(attempts);

    const restarted = (await (await h.request("PUT", "/hot/config", { targetSize: 1 })).json()) as HotStatus;
    expect(restarted.refill.stopped).toBe(false);
    await expect.poll(async () => (await h.hotStatus()).refill.stopped, { timeout: 60_000 }).toBe(true);
  }, 240_000);
});

describe("the process cap", () => {
  const h = useKonsoleHarness({ env: { KONSOLE_MAX_PROCESSES: "2" } });

  it("retires the least recently used idle hot process to make room", async () => {
    const a = await h.hotPrompt("cap-a", { text: "Remember 1" });
    const b = await h.hotPrompt("cap-b", { text: "Remember 2" });
    await h.hotPrompt("cap-a", { text: "What number?" });

    const c = await h.hotPrompt("cap-c", { text: "Remember 3" });
    expect(c.status).toBe("succeeded");
    expect(processGroupAlive(b.pid ?? 0)).toBe(false);
    const status = await h.hotStatus();
    expect(status.processes.map((entry) => entry.sessionId).sort()).toEqual(["cap-a", "cap-c"]);
    expect(status.processes.map((entry) => entry.pid)).toContain(a.pid);

    // b resumes with its memory and, at the cap, pushes out a (now the least recently used).
    const bAgain = await h.hotPrompt("cap-b", { text: "What number?" });
    expect(bAgain).toMatchObject({ reply: "The number is 2", claudeSessionId: b.claudeSessionId });
    expect(processGroupAlive(a.pid ?? 0)).toBe(false);

    // A cold turn at the cap makes room the same way.
    const cold = await h.runTurn("cap-d", { text: "Remember 4" });
    expect(cold.status).toBe("succeeded");
    expect((await h.hotStatus()).processes.length).toBeLessThanOrEqual(1);
  }, 240_000);
});
