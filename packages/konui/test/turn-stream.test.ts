// What the dashboard sees while a turn runs, from konsole's journal: progress pieces with
// offsets, tool calls from tool_use to tool_result, one `turn` frame per status change.

import type { AgentTurn, ClaudeLine, DashboardServerFrame, MessagePage, ToolCall } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KonsoleConsumer } from "../src/konsole/consumer.ts";
import { TOOL_RESULT_CAP_BYTES } from "../src/sessions/tool-calls.ts";
import { consumerOf, until } from "./support/consumer-setup.ts";
import { createHarness, json, type Harness } from "./support/harness.ts";
import { KonsoleWsStub } from "./support/konsole-ws-stub.ts";

let h: Harness;
let stub: KonsoleWsStub;
let consumer: KonsoleConsumer;
let alice: string;
let sessionId: string;
const frames: DashboardServerFrame[] = [];

beforeEach(async () => {
  h = await createHarness();
  stub = await KonsoleWsStub.start();
  alice = await h.userToken("alice");
  sessionId = await h.newSession(alice);
  h.konsole.script = () => ({ status: "succeeded", hold: true });
  frames.length = 0;
  h.services.hub.add({ userId: h.userId("alice"), jti: "watcher", isAdmin: false, send: (f) => frames.push(f), end: () => {} });
  consumer = consumerOf(h, stub);
  consumer.start();
  await until(() => consumer.subscribed, "subscribe");
});
afterEach(async () => {
  await consumer.stop();
  await stub.close();
  await h.services.sessionFrames.settled();
  h.close();
});

const base = () => `/api/agents/claude/sessions/${sessionId}`;

async function sendAsync(text: string): Promise<string> {
  const res = await h.call("POST", `${base()}/message?async=true`, { token: alice, body: { text } });
  expect(res.status).toBe(202);
  return (await json<{ turnId: string }>(res)).turnId;
}

/** Marks the fake konsole's turn running and journals it. */
function running(turnId: string): void {
  const turn = h.konsole.turns.get(turnId);
  if (!turn) throw new Error("no turn");
  const now = { ...turn, status: "running" as const, startedAt: new Date().toISOString() };
  h.konsole.turns.set(turnId, now);
  stub.append(turnId, sessionId, { type: "turn", turn: now });
}

function claude(turnId: string, event: Record<string, unknown>): void {
  const line = { kind: "event", event: { session_id: "claude-1", ...event } } as ClaudeLine;
  stub.append(turnId, sessionId, { type: "claude", line });
}

const delta = (text: string) => ({
  type: "stream_event",
  event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
});
const assistant = (content: unknown[], id = "msg-1") => ({ type: "assistant", message: { id, role: "assistant", content } });
const toolResult = (toolUseId: string, content: unknown, isError = false) => ({
  type: "user",
  message: { role: "user", content: [{ type: "tool_result", tool_use_id: toolUseId, content, is_error: isError }] },
});

function finish(turnId: string, reply: string): void {
  stub.append(turnId, sessionId, { type: "turn", turn: h.konsole.finish(turnId, { status: "succeeded", reply }) });
}

const progressOf = (turnId: string) =>
  frames.flatMap((f) => (f.type === "progress" && f.turnId === turnId ? [{ text: f.text, offset: f.offset }] : []));
const toolFrames = () => frames.flatMap((f) => (f.type === "tool" ? [f.call] : []));
const describeTurn = async (turnId: string) => json<AgentTurn>(await h.call("GET", `${base()}/turns/${turnId}`, { token: alice }));

describe("progress while a turn runs", () => {
  it("sends each text delta with the offset it starts at and keeps the text so far as partialText", async () => {
    const turnId = await sendAsync("count");
    running(turnId);
    claude(turnId, { type: "stream_event", event: { type: "message_start", message: {} } });
    claude(turnId, delta("one "));
    claude(turnId, delta("two "));
    // A subagent's text is not the reply.
    claude(turnId, { ...delta("ignored"), parent_tool_use_id: "toolu_x" });
    claude(turnId, delta("three"));
    claude(turnId, assistant([{ type: "text", text: "one two three" }]));
    await until(() => consumer.cursor === 7, "the deltas");

    expect(progressOf(turnId)).toEqual([
      { text: "one ", offset: 0 },
      { text: "two ", offset: 4 },
      { text: "three", offset: 8 },
    ]);
    const during = await describeTurn(turnId);
    expect(during).toMatchObject({ status: "running", partialText: "one two three", queuePosition: null });

    finish(turnId, "one two three");
    await until(() => consumer.cursor === 8, "the outcome");
    const after = await describeTurn(turnId);
    expect(after).toMatchObject({ status: "succeeded", partialText: "", assistantMessage: { text: "one two three" } });
  });

  it("separates the text of two model messages as konsole joins them", async () => {
    const turnId = await sendAsync("two messages");
    running(turnId);
    const start = (id: string) => ({ type: "stream_event", event: { type: "message_start", message: { id } } });
    claude(turnId, start("m1"));
    claude(turnId, delta("Let me look."));
    claude(turnId, start("m2"));
    claude(turnId, delta("Found "));
    claude(turnId, delta("it."));
    await until(() => consumer.cursor === 6, "the deltas");
    expect(progressOf(turnId)).toEqual([
      { text: "Let me look.", offset: 0 },
      { text: "\n\nFound ", offset: 12 },
      { text: "it.", offset: 20 },
    ]);
    expect((await describeTurn(turnId)).partialText).toBe("Let me look.\n\nFound it.");
  });

  it("falls back to the assistant events' text when the CLI streams no deltas", async () => {
    const turnId = await sendAsync("no deltas");
    running(turnId);
    claude(turnId, assistant([{ type: "text", text: "First part." }], "m1"));
    claude(turnId, assistant([{ type: "text", text: "Second part." }], "m2"));
    await until(() => consumer.cursor === 3, "the assistant events");
    expect(progressOf(turnId)).toEqual([
      { text: "First part.", offset: 0 },
      { text: "\n\nSecond part.", offset: 11 },
    ]);
    expect((await describeTurn(turnId)).partialText).toBe("First part.\n\nSecond part.");
  });

  it("reports a queued turn's place in the session's queue", async () => {
    const first = await sendAsync("first");
    running(first);
    const second = await sendAsync("second");
    const third = await sendAsync("third");
    await until(() => consumer.cursor === 1, "running");
    expect((await describeTurn(second)).queuePosition).toBe(1);
    expect((await describeTurn(third)).queuePosition).toBe(2);
    expect((await describeTurn(first)).queuePosition).toBeNull();
  });
});

describe("tool calls", () => {
  it("goes running → ok / error, once per change, capped at 64 KB, and pages with its turn", async () => {
    const turnId = await sendAsync("use tools");
    running(turnId);
    const bashUse = { type: "tool_use", id: "toolu_bash", name: "Bash", input: { command: "echo hi" } };
    claude(turnId, assistant([bashUse]));
    // The CLI repeats a message once per content block: no second start.
    claude(turnId, assistant([bashUse]));
    claude(turnId, toolResult("toolu_bash", [{ type: "text", text: "hi" }]));
    claude(turnId, assistant([{ type: "tool_use", id: "toolu_read", name: "Read", input: { file_path: "/nope" } }], "m2"));
    claude(turnId, toolResult("toolu_read", "File does not exist.", true));
    const big = `${"é".repeat(TOOL_RESULT_CAP_BYTES)}tail`;
    claude(turnId, assistant([{ type: "tool_use", id: "toolu_big", name: "Bash", input: { command: "yes" } }], "m3"));
    claude(turnId, toolResult("toolu_big", big));
    claude(turnId, assistant([{ type: "tool_use", id: "toolu_cut", name: "Bash", input: { command: "sleep 99" } }], "m4"));
    await until(() => consumer.cursor === 9, "the tool lines");

    const seen = toolFrames().map((c) => [c.id, c.status]);
    expect(seen).toEqual([
      ["toolu_bash", "running"],
      ["toolu_bash", "ok"],
      ["toolu_read", "running"],
      ["toolu_read", "error"],
      ["toolu_big", "running"],
      ["toolu_big", "ok"],
      ["toolu_cut", "running"],
    ]);
    const calls = new Map(toolFrames().map((c) => [c.id, c]));
    expect(calls.get("toolu_bash")).toMatchObject({ name: "Bash", input: { command: "echo hi" }, result: "hi", resultTruncated: false, turnId, sessionId });
    expect(calls.get("toolu_read")).toMatchObject({ result: "File does not exist.", status: "error" });
    const capped = calls.get("toolu_big") as ToolCall;
    expect(capped.resultTruncated).toBe(true);
    expect(Buffer.byteLength(capped.result ?? "")).toBeLessThanOrEqual(TOOL_RESULT_CAP_BYTES);
    expect(capped.result).toBe("é".repeat(TOOL_RESULT_CAP_BYTES / 2));

    finish(turnId, "done");
    await until(() => consumer.cursor === 10, "the outcome");
    // A call the turn never finished ends with it.
    expect(toolFrames().at(-1)).toMatchObject({ id: "toolu_cut", status: "error", finishedAt: expect.any(String) });

    const page = await json<MessagePage>(await h.call("GET", `${base()}/messages`, { token: alice }));
    expect(page.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(page.toolCalls.map((c) => [c.id, c.status])).toEqual([
      ["toolu_bash", "ok"],
      ["toolu_read", "error"],
      ["toolu_big", "ok"],
      ["toolu_cut", "error"],
    ]);
  });

  it("keeps following the journal when a session is deleted while its turn still talks", async () => {
    const turnId = await sendAsync("then delete");
    running(turnId);
    claude(turnId, assistant([{ type: "tool_use", id: "toolu_1", name: "Bash", input: {} }]));
    await until(() => consumer.cursor === 2, "the first call");
    expect((await h.call("DELETE", base(), { token: alice })).status).toBe(204);
    claude(turnId, assistant([{ type: "tool_use", id: "toolu_2", name: "Bash", input: {} }], "m2"));
    claude(turnId, delta("late"));
    finish(turnId, "late");
    await until(() => consumer.cursor === 5, "the entries after the delete");
    expect(toolFrames().map((c) => c.id)).toEqual(["toolu_1"]);
  });
});

describe("turn frames", () => {
  it("sends exactly one frame per status change while a send waits and the turn is read: the consumer alone records it", async () => {
    const n = 12;
    for (let i = 0; i < n; i += 1) {
      const turnId = await sendAsync(`turn ${i}`);
      const waiting = h.services.sender.wait(turnId, 30_000);
      running(turnId);
      finish(turnId, `reply ${i}`);
      await describeTurn(turnId);
      await waiting;
    }
    await until(() => consumer.cursor === 2 * n, "every journal entry");
    await h.services.sessionFrames.settled();
    const statuses = frames.flatMap((f) => (f.type === "turn" ? [f.status] : []));
    expect(statuses.filter((s) => s === "succeeded")).toHaveLength(n);
    expect(statuses.filter((s) => s === "queued")).toHaveLength(n);
    expect(statuses.filter((s) => s === "running").length).toBeLessThanOrEqual(n);
    expect(frames.filter((f) => f.type === "message" && f.message.role === "assistant")).toHaveLength(n);
    const sessionStates = frames.flatMap((f) => (f.type === "session" ? [f.session.state] : []));
    expect(sessionStates.filter((s) => s === "idle")).toHaveLength(n);
  });
});
