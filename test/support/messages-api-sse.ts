// Turns a MessageReply into the Messages API's response: a whole message, or the stream of
// server-sent events that the real API sends for `stream: true`.

import { defaultUsage, type ErrorReply, type MessageReply, type UsageFigures } from "./messages-api-reply.ts";

export type ResponseBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface ResponseMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ResponseBlock[];
  stop_reason: "end_turn" | "tool_use";
  stop_sequence: null;
  usage: UsageFigures;
}

export interface SseEvent {
  event: string;
  data: { type: string; [field: string]: unknown };
}

export interface MessageIds {
  messageId: string;
  toolUseId: string;
}

export function buildMessage(reply: MessageReply, model: string, ids: MessageIds): ResponseMessage {
  const content: ResponseBlock[] = [];
  if (reply.thinking !== undefined) {
    const signature = Buffer.from(`stand-in:${ids.messageId}`).toString("base64");
    content.push({ type: "thinking", thinking: reply.thinking, signature });
  }
  if (reply.text !== undefined) content.push({ type: "text", text: reply.text });
  if (reply.toolUse) content.push({ type: "tool_use", id: ids.toolUseId, ...reply.toolUse });
  return {
    id: ids.messageId,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: reply.toolUse ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { ...defaultUsage, ...reply.usage },
  };
}

/** Words with their trailing space, so a slow stream shows text arriving piece by piece. */
function textChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

function jsonChunks(json: string, size = 16): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < json.length; start += size) chunks.push(json.slice(start, start + size));
  return chunks;
}

function blockEvents(block: ResponseBlock, index: number): SseEvent[] {
  const delta = (payload: Record<string, unknown>): SseEvent => ({
    event: "content_block_delta",
    data: { type: "content_block_delta", index, delta: payload },
  });
  let start: Record<string, unknown>;
  let deltas: SseEvent[];
  switch (block.type) {
    case "thinking":
      start = { type: "thinking", thinking: "", signature: "" };
      deltas = [
        ...textChunks(block.thinking).map((thinking) => delta({ type: "thinking_delta", thinking })),
        delta({ type: "signature_delta", signature: block.signature }),
      ];
      break;
    case "text":
      start = { type: "text", text: "" };
      deltas = textChunks(block.text).map((text) => delta({ type: "text_delta", text }));
      break;
    case "tool_use":
      start = { type: "tool_use", id: block.id, name: block.name, input: {} };
      deltas = ["", ...jsonChunks(JSON.stringify(block.input))].map((partial_json) =>
        delta({ type: "input_json_delta", partial_json }),
      );
      break;
  }
  return [
    { event: "content_block_start", data: { type: "content_block_start", index, content_block: start } },
    ...deltas,
    { event: "content_block_stop", data: { type: "content_block_stop", index } },
  ];
}

/** The events of one streamed message, in the order and shape the real API sends them. */
export function streamEvents(message: ResponseMessage): SseEvent[] {
  const { usage } = message;
  const opening = {
    ...message,
    content: [],
    stop_reason: null,
    usage: { ...usage, output_tokens: 1 },
  };
  return [
    { event: "message_start", data: { type: "message_start", message: opening } },
    { event: "ping", data: { type: "ping" } },
    ...message.content.flatMap(blockEvents),
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: { stop_reason: message.stop_reason, stop_sequence: null },
        usage: { output_tokens: usage.output_tokens },
      },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ];
}

export function encodeSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** The API's error body: `{"type":"error","error":{"type":…,"message":…},"request_id":…}`. */
export function errorBody(reply: Pick<ErrorReply, "errorType" | "message">, requestId: string): string {
  const error = { type: reply.errorType, message: reply.message };
  return JSON.stringify({ type: "error", error, request_id: requestId });
}
