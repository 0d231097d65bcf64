import { ErrorBody, type Turn, type TurnAccepted } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { createGate, held, memory, type Gate } from "../../../test/support/messages-api.ts";
import { isFinished, isRunning, type KonsoleHarness } from "./support/konsole-harness.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

// Every conversation request is held at the stand-in until the test opens the gate, so turns stay
// running (and the rest waiting) for as long as the test needs, however slow the machine is.
const limits = { KONSOLE_QUEUE_LIMIT: "5", KONSOLE_MAX_PROCESSES: "2" };

function heldHarness(): { h: KonsoleHarness; gate: () => Gate } {
  let gate = createGate();
  const h = useKonsoleHarness({ env: limits, scenario: (request) => held(memory(), gate)(request) });
  return {
    h,
    gate: () => {
      gate = createGate();
      return gate;
    },
  };
}

const sendHot = (h: KonsoleHarness, sessionId: string, userId: string) =>
  h.request("POST", `/sessions/${sessionId}/hot-prompt`, { userId, text: `hello from ${userId}` });

async function accepted(response: Response): Promise<Turn> {
  expect(response.status).toBe(202);
  return ((await response.json()) as TurnAccepted).turn;
}

describe("the queue limit counts turns waiting for a process slot", () => {
  const { h, gate } = heldHarness();

  it("accepts only as many waiting hot turns as the limit once every slot is busy", async () => {
    const latch = gate();
    const running = [await accepted(await sendHot(h, "busy-0", "user-0")), await accepted(await sendHot(h, "busy-1", "user-1"))];
    for (const turn of running) await h.waitForStatus(turn.id, isRunning);

    const responses = await Promise.all(Array.from({ length: 18 }, (_, i) => sendHot(h, `wait-${i}`, `user-${i + 2}`)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(13);
    const refused = responses.find((response) => response.status === 429);
    expect(ErrorBody.parse(await refused?.json()).error).toMatchObject({ code: "queue_full", details: { limit: 5 } });

    latch.open();
    const waiting = await Promise.all(responses.filter((response) => response.status === 202).map(accepted));
    const done = await Promise.all([...running, ...waiting].map((turn) => h.waitForStatus(turn.id, isFinished, 120_000)));
    expect(done.map((turn) => turn.status)).toEqual(Array(7).fill("succeeded"));
  }, 180_000);
});

describe("one user's backlog", () => {
  const { h, gate } = heldHarness();

  it("is capped per user, so other users still get in", async () => {
    const latch = gate();
    const first = await accepted(await sendHot(h, "hog", "hog"));
    await h.waitForStatus(first.id, isRunning);
    const backlog: Response[] = [];
    for (let i = 0; i < 5; i++) backlog.push(await sendHot(h, "hog", "hog"));
    // Half the queue (3 of 5) by default.
    expect(backlog.map((response) => response.status)).toEqual([202, 202, 202, 429, 429]);
    const refused = ErrorBody.parse(await backlog[3]?.json());
    expect(refused.error).toMatchObject({ code: "queue_full", details: { limit: 3, scope: "user" } });
    expect(refused.error.message).toContain("one user");

    const others = [await sendHot(h, "alice", "alice"), await sendHot(h, "bob", "bob")];
    expect(others.map((response) => response.status)).toEqual([202, 202]);

    latch.open();
    const turns = [first, ...(await Promise.all([...backlog.slice(0, 3), ...others].map(accepted)))];
    const done = await Promise.all(turns.map((turn) => h.waitForStatus(turn.id, isFinished, 120_000)));
    expect(done.map((turn) => turn.status)).toEqual(Array(6).fill("succeeded"));
  }, 180_000);
});
