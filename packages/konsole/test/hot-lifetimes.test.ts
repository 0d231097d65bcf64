import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memory, slow } from "../../../test/support/messages-api.ts";
import { processGroupAlive } from "../src/claude/process-group.ts";
import { isFinished, isRunning, startKonsoleHarness, type KonsoleHarness } from "./support/konsole-harness.ts";

describe("a hot process that dies", () => {
  let h: KonsoleHarness;

  beforeAll(async () => {
    h = await startKonsoleHarness();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  it("between prompts: the next prompt resumes the conversation", async () => {
    const first = await h.hotPrompt("killed-idle", { text: "Remember 42" });
    process.kill(first.pid ?? 0, "SIGKILL");
    await expect.poll(async () => (await h.session("killed-idle")).hot, { timeout: 15_000 }).toBe(false);

    const second = await h.hotPrompt("killed-idle", { text: "What number?" });
    expect(second).toMatchObject({ status: "succeeded", reply: "The number is 42", claudeSessionId: first.claudeSessionId, memoryLost: false });
    expect(second.pid).not.toBe(first.pid);
    expect((await h.session("killed-idle")).hot).toBe(true);
  }, 60_000);

  it("mid-prompt: the prompt completes by the recovery rules and memory survives", async () => {
    const first = await h.hotPrompt("killed-busy", { text: "Remember 42" });
    h.api.setScenario(slow(memory(), { firstByteDelayMs: 3_000, deltaDelayMs: 100 }));
    const requestsBefore = h.api.requests.length;
    const accepted = await h.startTurn("killed-busy", { text: "What number?", mode: "hot" });
    await h.waitForStatus(accepted.turn.id, isRunning);
    await expect.poll(() => h.api.requests.length, { timeout: 15_000 }).toBeGreaterThan(requestsBefore);
    process.kill(first.pid ?? 0, "SIGKILL");

    const killed = await h.waitForStatus(accepted.turn.id, isFinished);
    expect(killed.pid).toBe(first.pid);
    expect(killed.status).toBe("failed");
    expect(killed.error?.code).toBe("no_output");
    expect(killed.error?.message).toMatch(/SIGKILL/);

    h.api.setScenario(memory());
    const next = await h.hotPrompt("killed-busy", { text: "What number?" });
    expect(next).toMatchObject({ status: "succeeded", reply: "The number is 42", claudeSessionId: first.claudeSessionId });
    expect(next.pid).not.toBe(first.pid);
  }, 60_000);
});

describe("hot process lifetimes", () => {
  let h: KonsoleHarness;

  beforeAll(async () => {
    h = await startKonsoleHarness({ env: { KONSOLE_HOT_IDLE_SEC: "1" } });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  it("retires an idle process after its TTL; the next prompt resumes with memory and stays hot", async () => {
    const first = await h.hotPrompt("idle-1", { text: "Remember 8" });
    await expect.poll(async () => (await h.hotStatus()).processes, { timeout: 15_000, interval: 100 }).toEqual([]);
    expect(processGroupAlive(first.pid ?? 0)).toBe(false);
    expect((await h.session("idle-1")).hot).toBe(false);
    await expect.poll(() => h.konui.issued.find((entry) => entry.request.sessionId === "idle-1")?.revokedAt, { timeout: 10_000 }).not.toBeNull();

    const second = await h.hotPrompt("idle-1", { text: "What number?" });
    expect(second).toMatchObject({ status: "succeeded", reply: "The number is 8", claudeSessionId: first.claudeSessionId, memoryLost: false });
    expect(second.pid).not.toBe(first.pid);
    const status = await h.hotStatus();
    expect(status.processes.find((entry) => entry.sessionId === "idle-1")?.pid).toBe(second.pid);
  }, 60_000);

});

describe("a process token shorter than the maximum age", () => {
  let h: KonsoleHarness;

  beforeAll(async () => {
    // Tokens live 122 s; a hot process is retired 120 s before its token expires.
    h = await startKonsoleHarness({ konuiMaxTtlSec: 122 });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  it("retires the process before its token expires, and the session resumes", async () => {
    const first = await h.hotPrompt("token-life", { text: "Remember 1" });
    const token = h.konui.issued.find((entry) => entry.request.sessionId === "token-life");
    expect(token?.request.ttlSec).toBeGreaterThan(h.config.hotMaxAgeSec);
    await expect.poll(() => processGroupAlive(first.pid ?? 0), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => token?.revokedAt, { timeout: 10_000 }).not.toBeNull();
    const second = await h.hotPrompt("token-life", { text: "What number?" });
    expect(second).toMatchObject({ reply: "The number is 1", claudeSessionId: first.claudeSessionId });
  }, 60_000);
});

describe("a resumed session whose transcript is gone", () => {
  let h: KonsoleHarness;

  beforeAll(async () => {
    h = await startKonsoleHarness({ env: { KONSOLE_HOT_MAX_PROMPTS: "1" } });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  it("retires a process after its maximum prompts, then starts over when the transcript is gone", async () => {
    const first = await h.hotPrompt("max-prompts", { text: "Remember 6" });
    await expect.poll(() => processGroupAlive(first.pid ?? 0), { timeout: 15_000 }).toBe(false);
    const second = await h.hotPrompt("max-prompts", { text: "What number?" });
    expect(second).toMatchObject({ reply: "The number is 6", claudeSessionId: first.claudeSessionId });
    expect(second.pid).not.toBe(first.pid);

    await expect.poll(() => processGroupAlive(second.pid ?? 0), { timeout: 15_000 }).toBe(false);
    rmSync(h.home.transcriptPath(first.claudeSessionId ?? "", (await h.session("max-prompts")).cwd));
    const third = await h.hotPrompt("max-prompts", { text: "What number?" });
    expect(third).toMatchObject({ status: "succeeded", memoryLost: true, reply: "I don't know" });
    expect(third.claudeSessionId).not.toBe(first.claudeSessionId);
  }, 90_000);
});
