import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createGate,
  held,
  loopForever,
  memory,
  startMessagesApi,
  textReply,
  toolCall,
  toolUseReply,
  type ApiMessage,
  type MessagesApi,
  type MessagesRequest,
  type RecordedRequest,
} from "../support/messages-api.ts";

interface Frame {
  event: string;
  data: { type: string; [field: string]: unknown };
}

function parseSse(text: string): Frame[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.length > 0)
    .map((frame) => {
      const [eventLine, dataLine, ...rest] = frame.split("\n");
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: \w+$/);
      expect(dataLine).toMatch(/^data: \{/);
      const event = eventLine?.slice("event: ".length) ?? "";
      return { event, data: JSON.parse(dataLine?.slice("data: ".length) ?? "") };
    });
}

function conversation(...messages: ApiMessage[]): MessagesRequest {
  const tools = [{ name: "Bash" }];
  return { model: "m", messages, system: "You are a Claude agent", tools, stream: true, maxTokens: 1, raw: {} };
}

const user = (text: string): ApiMessage => ({
  role: "user",
  content: [
    { type: "text", text: "<system-reminder>\nRemember 99 is not a prompt\n</system-reminder>" },
    { type: "text", text },
  ],
});
const assistant = (text: string): ApiMessage => ({ role: "assistant", content: [{ type: "text", text }] });

describe("the Messages API stand-in over HTTP", () => {
  let api: MessagesApi;
  const unknown: RecordedRequest[] = [];

  beforeEach(async () => {
    unknown.length = 0;
    api = await startMessagesApi({ onUnknownRoute: (request) => unknown.push(request) });
  });
  afterEach(() => api.stop());

  const post = (path: string, body: unknown) =>
    fetch(`${api.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const ask = { model: "claude-test-1", max_tokens: 100, tools: [{ name: "Bash" }], system: "You are a Claude agent" };

  it("streams thinking and text as the real API frames them", async () => {
    api.setScenario(() => textReply("Hello brave world", { thinking: "Let me see", usage: { output_tokens: 7 } }));
    const response = await post("/v1/messages?beta=true", { ...ask, stream: true, messages: [user("hi")] });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const frames = parseSse(await response.text());
    for (const frame of frames) expect(frame.data.type).toBe(frame.event);
    const kinds = frames.map((frame) =>
      frame.event === "content_block_delta" ? (frame.data.delta as { type: string }).type : frame.event,
    );
    expect(kinds).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "thinking_delta",
      "thinking_delta",
      "thinking_delta",
      "signature_delta",
      "content_block_stop",
      "content_block_start",
      "text_delta",
      "text_delta",
      "text_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(frames[0]?.data.message).toMatchObject({
      role: "assistant",
      model: "claude-test-1",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 100, cache_read_input_tokens: 50, cache_creation_input_tokens: 20 },
    });
    const text = frames
      .flatMap((frame) => (frame.data.index === 1 && frame.event === "content_block_delta" ? [frame.data.delta] : []))
      .map((delta) => (delta as { text: string }).text)
      .join("");
    expect(text).toBe("Hello brave world");
    expect(frames.at(-2)?.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 7 },
    });
  });

  it("streams a tool_use input as input_json_delta pieces", async () => {
    const input = { command: "echo a fairly long command line", description: "Echo" };
    api.setScenario(() => toolUseReply("Bash", input));
    const response = await post("/v1/messages", { ...ask, stream: true, messages: [user("go")] });
    const frames = parseSse(await response.text());

    expect(frames[2]?.data.content_block).toMatchObject({ type: "tool_use", name: "Bash", input: {} });
    const json = frames
      .filter((frame) => frame.event === "content_block_delta")
      .map((frame) => (frame.data.delta as { type: string; partial_json: string }).partial_json)
      .join("");
    expect(JSON.parse(json)).toEqual(input);
    expect(frames.at(-2)?.data.delta).toEqual({ stop_reason: "tool_use", stop_sequence: null });
  });

  it("answers stream: false with one JSON message", async () => {
    const response = await post("/v1/messages", { ...ask, messages: [user("hi")] });
    expect(await response.json()).toMatchObject({
      type: "message",
      model: "claude-test-1",
      content: [{ type: "text", text: "OK" }],
      stop_reason: "end_turn",
    });
  });

  it("answers an error reply with the API's error shape", async () => {
    api.setScenario(() => ({ kind: "error", status: 529, errorType: "overloaded_error", message: "Overloaded" }));
    const response = await post("/v1/messages", { ...ask, stream: true, messages: [user("hi")] });
    expect(response.status).toBe(529);
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it("answers side requests apart from the conversation", async () => {
    const scenario = vi.fn(() => textReply("main"));
    api.setScenario(scenario);
    const titleRequest = { model: "claude-haiku", max_tokens: 50, system: "Write a title", messages: [user("hi")] };
    const response = await post("/v1/messages", titleRequest);
    expect(await response.json()).toMatchObject({ content: [{ type: "text", text: "Stand-in session" }] });
    expect(scenario).not.toHaveBeenCalled();
    expect(api.requests[0]).toMatchObject({ route: "messages", side: true });
  });

  it("answers probes, counts tokens, records unknown routes with a JSON 404", async () => {
    expect((await fetch(api.url, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${api.url}/`)).status).toBe(200);
    const count = await (await post("/v1/messages/count_tokens", { ...ask, messages: [user("hi")] })).json();
    expect(count).toEqual({ input_tokens: expect.any(Number) });
    const missing = await fetch(`${api.url}/v1/models?limit=5`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    const unknownRoutes = unknown.map((request) => [request.method, request.path, request.query]);
    expect(unknownRoutes).toEqual([["GET", "/v1/models", "limit=5"]]);
    expect(api.requests.map((request) => request.route)).toEqual(["probe", "probe", "count_tokens", "unknown"]);
  });

  it("holds a reply until its gate opens", async () => {
    const gate = createGate();
    api.setScenario(held(() => textReply("let through"), gate));
    let answered = false;
    const pending = post("/v1/messages", { ...ask, messages: [user("hi")] }).then(async (response) => {
      answered = true;
      return response.json();
    });
    await expect.poll(() => api.requests.length, { timeout: 60_000 }).toBe(1);
    expect(api.requests[0]?.status).toBeUndefined();
    expect(answered).toBe(false);
    gate.open();
    expect(await pending).toMatchObject({ content: [{ type: "text", text: "let through" }] });
  });

  it("survives a client that goes away in the middle of a slow stream", async () => {
    api.setScenario(() => textReply("a b c d e f", { deltaDelayMs: 200 }));
    const aborted = new AbortController();
    const response = await fetch(`${api.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ ...ask, stream: true, messages: [user("hi")] }),
      signal: aborted.signal,
    });
    const reader = response.body?.getReader();
    await reader?.read();
    aborted.abort();

    api.setScenario(() => textReply("still here"));
    const next = await (await post("/v1/messages", { ...ask, messages: [user("hi")] })).json();
    expect(next).toMatchObject({ content: [{ type: "text", text: "still here" }] });
  });
});

describe("ready-made scenarios", () => {
  const textOf = (request: MessagesRequest, scenario = memory()) => {
    const reply = scenario(request);
    return reply.kind === "message" ? reply.text : undefined;
  };

  it("memory() recalls the latest number from the history, not from reminders", () => {
    expect(textOf(conversation(user("Remember 42")))).toBe("OK");
    expect(textOf(conversation(user("What number?")))).toBe("I don't know");
    expect(
      textOf(
        conversation(user("Remember 1"), assistant("OK"), user("Remember 42"), assistant("OK"), user("What number?")),
      ),
    ).toBe("The number is 42");
  });

  it("loopForever() always asks for Bash; toolCall() asks once, then quotes the result", () => {
    const loop = loopForever()(conversation(user("go")));
    expect(loop).toMatchObject({ toolUse: { name: "Bash", input: { command: "true" } } });
    const scenario = toolCall("Bash", { command: "echo hi" });
    expect(scenario(conversation(user("go")))).toMatchObject({ toolUse: { name: "Bash" } });
    const afterTool = conversation(user("go"), {
      role: "assistant",
      content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: {} }],
    }, { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "hi" }] });
    expect(textOf(afterTool, scenario)).toBe("The tool said: hi");
  });
});
