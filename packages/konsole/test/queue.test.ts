import { ErrorBody, type Turn } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { createGate, held, memory } from "../../../test/support/messages-api.ts";
import { isFinished, isRunning } from "./support/konsole-harness.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

// Replies are held at the stand-in until a test opens the gate: what runs stays running and what
// waits stays waiting for as long as the test looks, however slow the machine is.
let gate = createGate();
const h = useKonsoleHarness({
  scenario: (request) => held(memory(), gate)(request),
  env: { KONSOLE_MAX_PROCESSES: "1", KONSOLE_QUEUE_LIMIT: "2", KONSOLE_USER_QUEUE_LIMIT: "2" },
});

const finished = (turn: Turn) => h.waitForStatus(turn.id, isFinished, 90_000);

describe("queueing", () => {
  it("runs a session's turns in order, one at a time", async () => {
    gate = createGate();
    const first = await h.startTurn("order", { text: "Remember 1" });
    const second = await h.startTurn("order", { text: "Remember 2" });
    const third = await h.startTurn("order", { text: "What number?" });
    expect([first.queuePosition, second.queuePosition, third.queuePosition]).toEqual([0, 1, 2]);
    gate.open();
    const done = [await finished(first.turn), await finished(second.turn), await finished(third.turn)];
    expect(done.map((turn) => turn.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(done[2]?.reply).toBe("The number is 2");
    for (let i = 1; i < done.length; i++) {
      expect(Date.parse(done[i]?.startedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(done[i - 1]?.finishedAt ?? ""));
    }
  }, 240_000);

  it("caps live processes, answers 429 when the queue is full and drops nothing queued", async () => {
    gate = createGate();
    const running = await h.startTurn("cap-a", { text: "Remember 5" });
    await h.waitForStatus(running.turn.id, isRunning);
    const waitingInSession = await h.startTurn("cap-a", { text: "What number?" });
    const waitingForSlot = await h.startTurn("cap-b", { text: "hello" });
    expect(waitingForSlot.queuePosition).toBe(0);

    const refused = await h.request("POST", "/sessions/cap-c/turns", { userId: "u1", text: "one too many" });
    expect(refused.status).toBe(429);
    expect(ErrorBody.parse(await refused.json()).error.code).toBe("queue_full");

    const session = await (await h.request("GET", "/sessions/cap-a")).json();
    expect(session).toMatchObject({ queued: 1, runningTurnId: running.turn.id });
    gate.open();

    const [a1, a2, b1] = [await finished(running.turn), await finished(waitingInSession.turn), await finished(waitingForSlot.turn)];
    expect([a1.status, a2.status, b1.status]).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(a2.reply).toBe("The number is 5");
    const spans = [a1, a2, b1]
      .map((turn) => [Date.parse(turn.startedAt ?? ""), Date.parse(turn.finishedAt ?? "")] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? Infinity);
  }, 240_000);

  it("drops a queued turn that is interrupted before it starts", async () => {
    gate = createGate();
    const running = await h.startTurn("drop", { text: "hello" });
    const queued = await h.startTurn("drop", { text: "never runs" });
    const response = await h.request("POST", `/turns/${queued.turn.id}/interrupt`);
    expect(response.status).toBe(200);
    const dropped = (await response.json()) as Turn;
    expect(dropped).toMatchObject({ status: "failed", startedAt: null, pid: null });
    expect(dropped.error?.code).toBe("interrupted");
    gate.open();
    expect((await finished(running.turn)).status).toBe("succeeded");
  }, 240_000);
});
