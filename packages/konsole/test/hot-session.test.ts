import type { Turn, TurnEventsPage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { loopForever, memory, toolCall } from "../../../test/support/messages-api.ts";
import { processAlive, processGroupAlive } from "../src/claude/process-group.ts";
import { isRunning } from "./support/konsole-harness.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

const h = useKonsoleHarness();

describe("a hot session", () => {
  it("keeps one process between prompts, and its memory with it", async () => {
    const first = await h.hotPrompt("hot-1", { text: "Remember 42" });
    expect(first).toMatchObject({ status: "succeeded", reply: "OK", mode: "hot" });
    expect((await h.session("hot-1")).hot).toBe(true);

    const second = await h.hotPrompt("hot-1", { text: "What number?" });
    expect(second).toMatchObject({ status: "succeeded", reply: "The number is 42", mode: "hot", memoryLost: false });
    expect(second.claudeSessionId).toBe(first.claudeSessionId);
    expect(second.pid).toBe(first.pid);
    expect(processAlive(second.pid ?? 0)).toBe(true);
    // The turn's own cost, not the conversation's running total.
    expect(second.figures?.costUsd).toBeCloseTo(first.figures?.costUsd ?? -1, 10);
    expect(second.figures?.ttfeMs).not.toBeNull();
    // The prompt goes to the live process before the turn's rows are stored; its journal still
    // tells the turn in order: queued, running, then what the process said.
    const { entries } = (await (await h.request("GET", `/turns/${second.id}/events?limit=1000`)).json()) as TurnEventsPage;
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    const states = entries.flatMap((entry) => (entry.payload.type === "turn" ? [entry.payload.turn.status] : []));
    expect(states).toEqual(["queued", "running", "succeeded"]);
    const firstClaudeLine = entries.findIndex((entry) => entry.payload.type === "claude");
    expect(entries.slice(0, firstClaudeLine).map((entry) => entry.payload.type)).toEqual(["turn", "turn"]);

    const tokens = h.konui.issued.filter((entry) => entry.request.sessionId === "hot-1");
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.revokedAt).toBeNull();
  }, 240_000);

  it("reports its processes in /hot/status", async () => {
    const turn = (await (await h.request("GET", "/sessions/hot-1/turns")).json()) as { turns: Turn[] };
    const pid = turn.turns.at(-1)?.pid;
    const status = await h.hotStatus();
    expect(status).toMatchObject({ poolSize: 0, targetSize: 0, refill: { failures: 0, stopped: false, backoffUntil: null } });
    expect(status.activeSessions).toBeGreaterThanOrEqual(1);
    const process = status.processes.find((entry) => entry.sessionId === "hot-1");
    expect(process).toMatchObject({ pid, state: "idle", prompts: 2, claudeSessionId: turn.turns.at(-1)?.claudeSessionId });
    expect(process?.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(process?.ageSec).toBeGreaterThanOrEqual(process?.idleSec ?? Infinity);
  });

  it("accepts mode hot on the turns route", async () => {
    const accepted = await h.startTurn("hot-1", { text: "What number?", mode: "hot" });
    const turn = await h.waitForStatus(accepted.turn.id, (t) => t.status === "succeeded" || t.status === "failed");
    expect(turn).toMatchObject({ mode: "hot", reply: "The number is 42" });
    const status = await h.hotStatus();
    expect(status.processes.find((entry) => entry.sessionId === "hot-1")?.pid).toBe(turn.pid);
  }, 240_000);

  it("retires the hot process on reset and on session end", async () => {
    const before = await h.hotPrompt("hot-1", { text: "What number?" });
    const reset = await h.request("POST", "/sessions/hot-1/reset");
    expect(reset.status).toBe(200);
    expect(processGroupAlive(before.pid ?? 0)).toBe(false);
    expect((await h.session("hot-1")).hot).toBe(false);
    const after = await h.hotPrompt("hot-1", { text: "What number?" });
    expect(after.reply).toBe("I don't know");
    expect(after.claudeSessionId).not.toBe(before.claudeSessionId);

    expect((await h.request("DELETE", "/sessions/hot-1")).status).toBe(204);
    expect(processGroupAlive(after.pid ?? 0)).toBe(false);
    expect((await h.hotStatus()).processes).toEqual([]);
    await expect.poll(() => h.konui.issued.filter((entry) => entry.request.sessionId === "hot-1").every((entry) => entry.revokedAt !== null)).toBe(true);
  }, 240_000);
});

describe("stopping a hot turn", () => {
  it("interrupts through the control request and keeps the process for the next prompt", async () => {
    h.api.setScenario(loopForever());
    const accepted = await h.startTurn("hot-stop", { text: "loop forever please", mode: "hot", maxTurns: 500 });
    await h.waitForStatus(accepted.turn.id, isRunning);
    await h.waitForToolCalls(accepted.turn.id, 2);
    const stopped = (await (await h.request("POST", `/turns/${accepted.turn.id}/interrupt`)).json()) as Turn;
    expect(stopped.error?.code).toBe("interrupted");
    expect(stopped.figures?.toolCallCount).toBeGreaterThanOrEqual(2);
    expect(processAlive(stopped.pid ?? 0)).toBe(true);

    h.api.setScenario(memory());
    const next = await h.hotPrompt("hot-stop", { text: "Remember 3", maxTurns: 500 });
    expect(next).toMatchObject({ status: "succeeded", reply: "OK", pid: stopped.pid });
  }, 240_000);

  it("stops a hot turn at its execution timeout and keeps the process", async () => {
    // Only the timeout can end this turn, whenever it fires; the interrupt test above checks
    // (after waiting for them) that a turn stopped mid-loop keeps its tool calls.
    h.api.setScenario(loopForever());
    const timedOut = await h.hotPrompt("hot-stop", { text: "loop forever please", maxTurns: 500, executionTimeoutSec: 2 });
    expect(timedOut.status).toBe("failed");
    expect(timedOut.error?.code).toBe("timeout");
    expect(timedOut.figures).not.toBeNull();
    expect(processAlive(timedOut.pid ?? 0)).toBe(true);

    h.api.setScenario(memory());
    const next = await h.hotPrompt("hot-stop", { text: "What number?", maxTurns: 500 });
    expect(next).toMatchObject({ status: "succeeded", reply: "The number is 3", pid: timedOut.pid });
  }, 240_000);
});

describe("files for the agent", () => {
  it("writes them into the workspace's uploads folder before the prompt", async () => {
    h.api.setScenario(toolCall("Bash", { command: "cat uploads/notes.txt", description: "read the upload" }));
    const data = Buffer.from("the secret word is kumquat\n").toString("base64");
    const turn = await h.hotPrompt("hot-files", { text: "Read uploads/notes.txt", files: [{ name: "notes.txt", data }] });
    expect(turn.status).toBe("succeeded");
    expect(turn.reply).toContain("the secret word is kumquat");

    const cold = await h.runTurn("cold-files", { text: "Read uploads/notes.txt", files: [{ name: "notes.txt", data }] });
    expect(cold.reply).toContain("the secret word is kumquat");
    h.api.setScenario(memory());
  }, 240_000);

  it("refuses a name that leaves the uploads folder", async () => {
    const response = await h.request("POST", "/sessions/hot-files/hot-prompt", { userId: "u1", text: "x", files: [{ name: "../evil", data: "" }] });
    expect(response.status).toBe(400);
  });
});
