import { rmSync } from "node:fs";
import { ErrorBody, type TurnAccepted } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { conversationRequests, createGate, held, memory } from "../../../test/support/messages-api.ts";
import { processGroupAlive } from "../src/claude/process-group.ts";
import { isFinished, isRunning } from "./support/konsole-harness.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

describe("a hot process that dies", () => {
  const h = useKonsoleHarness();

  it("between prompts: the next prompt resumes the conversation", async () => {
    const first = await h.hotPrompt("killed-idle", { text: "Remember 42" });
    process.kill(first.pid ?? 0, "SIGKILL");
    await expect.poll(async () => (await h.session("killed-idle")).hot, { timeout: 60_000 }).toBe(false);

    const second = await h.hotPrompt("killed-idle", { text: "What number?" });
    expect(second).toMatchObject({ status: "succeeded", reply: "The number is 42", claudeSessionId: first.claudeSessionId, memoryLost: false });
    expect(second.pid).not.toBe(first.pid);
    expect((await h.session("killed-idle")).hot).toBe(true);
  }, 240_000);

  it("mid-prompt: the prompt completes by the recovery rules and memory survives", async () => {
    const first = await h.hotPrompt("killed-busy", { text: "Remember 42" });
    // The reply is held at the stand-in until after the kill, so the process dies mid-prompt.
    const gate = createGate();
    h.api.setScenario(held(memory(), gate));
    const asked = () => conversationRequests(h.api.requests).length;
    const requestsBefore = asked();
    const accepted = await h.startTurn("killed-busy", { text: "What number?", mode: "hot" });
    await h.waitForStatus(accepted.turn.id, isRunning);
    await expect.poll(asked, { timeout: 60_000 }).toBeGreaterThan(requestsBefore);
    process.kill(first.pid ?? 0, "SIGKILL");
    gate.open();

    const killed = await h.waitForStatus(accepted.turn.id, isFinished);
    expect(killed.pid).toBe(first.pid);
    expect(killed.status).toBe("failed");
    expect(killed.error?.code).toBe("no_output");
    expect(killed.error?.message).toMatch(/SIGKILL/);

    h.api.setScenario(memory());
    const next = await h.hotPrompt("killed-busy", { text: "What number?" });
    expect(next).toMatchObject({ status: "succeeded", reply: "The number is 42", claudeSessionId: first.claudeSessionId });
    expect(next.pid).not.toBe(first.pid);
  }, 240_000);
});

describe("hot process lifetimes", () => {
  const h = useKonsoleHarness({ env: { KONSOLE_HOT_IDLE_SEC: "1" } });

  it("retires an idle process after its TTL; the next prompt resumes with memory and stays hot", async () => {
    const first = await h.hotPrompt("idle-1", { text: "Remember 8" });
    await expect.poll(async () => (await h.hotStatus()).processes, { timeout: 60_000, interval: 100 }).toEqual([]);
    expect(processGroupAlive(first.pid ?? 0)).toBe(false);
    expect((await h.session("idle-1")).hot).toBe(false);
    await expect.poll(() => h.konui.issued.find((entry) => entry.request.sessionId === "idle-1")?.revokedAt, { timeout: 60_000 }).not.toBeNull();

    const second = await h.hotPrompt("idle-1", { text: "What number?" });
    expect(second).toMatchObject({ status: "succeeded", reply: "The number is 8", claudeSessionId: first.claudeSessionId, memoryLost: false });
    expect(second.pid).not.toBe(first.pid);
    const status = await h.hotStatus();
    expect(status.processes.find((entry) => entry.sessionId === "idle-1")?.pid).toBe(second.pid);
  }, 240_000);

});

describe("a process token shorter than the maximum age", () => {
  // Tokens live 122 s; a hot process is retired 120 s before its token expires.
  const h = useKonsoleHarness({ konuiMaxTtlSec: 122 });

  it("retires the process before its token expires, and the session resumes", async () => {
    const first = await h.hotPrompt("token-life", { text: "Remember 1" });
    const token = h.konui.issued.find((entry) => entry.request.sessionId === "token-life");
    expect(token?.request.ttlSec).toBeGreaterThan(h.config.hotMaxAgeSec);
    await expect.poll(() => processGroupAlive(first.pid ?? 0), { timeout: 60_000 }).toBe(false);
    await expect.poll(() => token?.revokedAt, { timeout: 60_000 }).not.toBeNull();
    const second = await h.hotPrompt("token-life", { text: "What number?" });
    expect(second).toMatchObject({ reply: "The number is 1", claudeSessionId: first.claudeSessionId });
  }, 240_000);
});

describe("a resumed session whose transcript is gone", () => {
  const h = useKonsoleHarness({ env: { KONSOLE_HOT_MAX_PROMPTS: "1" } });

  it("retires a process after its maximum prompts, then starts over when the transcript is gone", async () => {
    const first = await h.hotPrompt("max-prompts", { text: "Remember 6" });
    await expect.poll(() => processGroupAlive(first.pid ?? 0), { timeout: 60_000 }).toBe(false);
    const second = await h.hotPrompt("max-prompts", { text: "What number?" });
    expect(second).toMatchObject({ reply: "The number is 6", claudeSessionId: first.claudeSessionId });
    expect(second.pid).not.toBe(first.pid);

    await expect.poll(() => processGroupAlive(second.pid ?? 0), { timeout: 60_000 }).toBe(false);
    rmSync(h.home.transcriptPath(first.claudeSessionId ?? "", (await h.session("max-prompts")).cwd));
    const third = await h.hotPrompt("max-prompts", { text: "What number?" });
    expect(third).toMatchObject({ status: "succeeded", memoryLost: true, reply: "I don't know" });
    expect(third.claudeSessionId).not.toBe(first.claudeSessionId);
  }, 240_000);
});

describe("a turn longer than a hot process may live", () => {
  // A hot process may be 60 s old; tokens live 150 s, so a fresh one gets 30 s before its retirement.
  const h = useKonsoleHarness({ env: { KONSOLE_HOT_MAX_AGE_SEC: "60" }, konuiMaxTtlSec: 150 });

  const hotRequest = (sessionId: string, executionTimeoutSec: number) =>
    h.request("POST", `/sessions/${sessionId}/hot-prompt`, { userId: "u1", text: "Remember 3", executionTimeoutSec });

  async function expectRefused(response: Response, executionTimeoutSec: number, limitSec: number): Promise<void> {
    expect(response.status).toBe(400);
    const { error } = ErrorBody.parse(await response.json());
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain(`executionTimeoutSec ${executionTimeoutSec}`);
    expect(error.message).toContain(`${limitSec} s`);
    expect(error.details).toEqual({ executionTimeoutSec, limitSec });
  }

  it("is refused at request time, and fails before any spawn when konui's tokens are the shorter limit", async () => {
    await expectRefused(await hotRequest("long-1", 61), 61, 60);

    // konsole learns konui's cap from the first token it gets: that turn fails at once, spawning nothing.
    const accepted = (await (await hotRequest("long-1", 45)).json()) as TurnAccepted;
    const failed = await h.waitForStatus(accepted.turn.id, isFinished);
    expect(failed).toMatchObject({ status: "failed", pid: null, error: { code: "spawn_failed" } });
    expect(failed.error?.message).toMatch(/executionTimeoutSec 45 .*\(30 s/);
    expect(h.konui.issued.map((entry) => entry.revokedAt !== null)).toEqual([true]);
    await expectRefused(await hotRequest("long-1", 45), 45, 30);

    const fits = await h.hotPrompt("long-2", { text: "Remember 4", executionTimeoutSec: 30 });
    expect(fits).toMatchObject({ status: "succeeded", reply: "OK" });
    // A cold turn's token is asked for as long as the turn needs.
    expect((await h.runTurn("long-3", { text: "Remember 5", executionTimeoutSec: 45 })).status).toBe("succeeded");
  }, 240_000);
});
