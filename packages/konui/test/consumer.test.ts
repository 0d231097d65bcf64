import type { DashboardServerFrame, Message } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KonsoleConsumer } from "../src/konsole/consumer.ts";
import { loadCursor } from "../src/konsole/cursor-store.ts";
import { consumerOf, until } from "./support/consumer-setup.ts";
import { createHarness, json, SERVICE_TOKEN, type Harness } from "./support/harness.ts";
import { KonsoleWsStub } from "./support/konsole-ws-stub.ts";

let h: Harness;
let stub: KonsoleWsStub;
let consumer: KonsoleConsumer;
let alice: string;
let sessionId: string;
const frames: DashboardServerFrame[] = [];

function newConsumer(): KonsoleConsumer {
  return consumerOf(h, stub);
}

beforeEach(async () => {
  h = await createHarness();
  stub = await KonsoleWsStub.start();
  alice = await h.userToken("alice");
  sessionId = await h.newSession(alice);
  h.konsole.script = () => ({ status: "succeeded", hold: true });
  frames.length = 0;
  h.services.hub.add({ userId: "admin-watcher", jti: "watcher", isAdmin: true, send: (f) => frames.push(f), end: () => {} });
  consumer = newConsumer();
});
afterEach(async () => {
  await consumer.stop();
  await stub.close();
  h.close();
});

async function sendAsync(text: string): Promise<string> {
  const res = await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, { token: alice, body: { text } });
  expect(res.status).toBe(202);
  return (await json<{ turnId: string }>(res)).turnId;
}

const messagesOf = async () =>
  (await json<{ messages: Message[] }>(await h.call("GET", `/api/agents/claude/sessions/${sessionId}`, { token: alice }))).messages;

describe("KonsoleConsumer", () => {
  it("subscribes with the service token from the stored cursor and records outcomes, advancing the cursor", async () => {
    const turnId = await sendAsync("hello");
    consumer.start();
    await until(() => consumer.subscribed, "subscribe");
    expect(stub.subscribes).toEqual([{ after: 0, authorization: `Bearer ${SERVICE_TOKEN}` }]);

    const running = await h.konsole.getTurn(turnId);
    stub.append(turnId, sessionId, { type: "turn", turn: { ...running, status: "running" } });
    stub.append(turnId, sessionId, {
      type: "claude",
      line: {
        kind: "event",
        event: { type: "assistant", session_id: "s", message: { role: "assistant", content: [{ type: "text", text: "thinking…" }] } },
      },
    });
    stub.append(turnId, sessionId, { type: "stderr", text: "noise" });
    const done = h.konsole.finish(turnId, { status: "succeeded", reply: "hi there" });
    stub.append(turnId, sessionId, { type: "turn", turn: done });

    await until(() => consumer.cursor === 4, "cursor 4");
    expect(loadCursor(h.database.db)).toBe(4);
    const messages = await messagesOf();
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ["user", "hello"],
      ["assistant", "hi there"],
    ]);
    await h.services.sessionFrames.settled();
    expect(frames.filter((f) => f.type !== "session").map((f) => f.type)).toEqual(["message", "turn", "turn", "progress", "turn", "message"]);
    expect(frames.find((f) => f.type === "progress")).toMatchObject({ text: "thinking…", offset: 0, turnId, sessionId });
    const states = frames.flatMap((f) => (f.type === "session" ? [[f.session.state, f.session.activeTurnId]] : []));
    expect(states).toEqual([
      ["queued", turnId],
      ["running", turnId],
      ["idle", null],
    ]);
  });

  it("reconnects with back-off after a drop and resumes from its cursor, delivering what finished meanwhile", async () => {
    const first = await sendAsync("one");
    consumer.start();
    await until(() => consumer.subscribed, "subscribe");
    stub.append(first, sessionId, { type: "turn", turn: h.konsole.finish(first, { status: "succeeded", reply: "1" }) });
    await until(() => consumer.cursor === 1, "cursor 1");

    stub.dropConnections();
    const second = await sendAsync("two");
    stub.append(second, sessionId, { type: "turn", turn: h.konsole.finish(second, { status: "succeeded", reply: "2" }) });

    await until(() => consumer.cursor === 2, "cursor 2 after reconnect");
    expect(stub.subscribes.map((s) => s.after)).toEqual([0, 1]);
    expect((await messagesOf()).map((m) => m.text)).toEqual(["one", "1", "two", "2"]);
  });

  it("ignores replayed entries and turns konui did not start", async () => {
    const turnId = await sendAsync("once");
    consumer.start();
    await until(() => consumer.subscribed, "subscribe");
    const entry = stub.append(turnId, sessionId, { type: "turn", turn: h.konsole.finish(turnId, { status: "succeeded", reply: "r" }) });
    await until(() => consumer.cursor === 1, "cursor 1");
    stub.resend(entry);
    const foreign = crypto.randomUUID();
    stub.append(foreign, "someone-elses-session", {
      type: "turn",
      turn: { ...entry.payload.type === "turn" ? entry.payload.turn : (undefined as never), id: foreign, sessionId: "someone-elses-session", requestId: null },
    });
    await until(() => consumer.cursor === 2, "cursor 2");
    expect(await messagesOf()).toHaveLength(2);
  });

  it("a new consumer over the same database resumes where the last one stopped", async () => {
    const turnId = await sendAsync("x");
    consumer.start();
    await until(() => consumer.subscribed, "subscribe");
    stub.append(turnId, sessionId, { type: "turn", turn: h.konsole.finish(turnId, { status: "failed", error: { code: "timeout", message: "too slow" } }) });
    await until(() => consumer.cursor === 1, "cursor 1");
    await consumer.stop();

    consumer = newConsumer();
    expect(consumer.cursor).toBe(1);
    consumer.start();
    await until(() => consumer.subscribed, "second subscribe");
    expect(stub.subscribes.at(-1)?.after).toBe(1);
    expect((await messagesOf()).at(-1)).toMatchObject({ status: "failed", error: { code: "timeout", message: "too slow" } });
  });

  it("keeps retrying while konsole is away", async () => {
    await stub.close();
    consumer.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(consumer.subscribed).toBe(false);
  });
});
