// What a scenario answers to one Messages API request, and the builders for it.

import type { MessagesRequest } from "./messages-api-request.ts";

export interface UsageFigures {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** The figures the recorded fixtures were made with (cost 0.00075 USD per turn on the default model). */
export const defaultUsage: UsageFigures = {
  input_tokens: 100,
  output_tokens: 12,
  cache_read_input_tokens: 50,
  cache_creation_input_tokens: 20,
};

export interface ReplyTiming {
  /** Wait this long before the status line and headers. */
  firstByteDelayMs?: number;
  /** Wait this long before each delta of a stream (a slow stream). */
  deltaDelayMs?: number;
  /** Send nothing until this settles (a stream held until the test says so). */
  hold?: Promise<unknown>;
}

export interface ToolUseRequest {
  name: string;
  input: Record<string, unknown>;
}

export interface MessageReply extends ReplyTiming {
  kind: "message";
  thinking?: string;
  text?: string;
  toolUse?: ToolUseRequest;
  usage?: Partial<UsageFigures>;
}

export interface ErrorReply extends ReplyTiming {
  kind: "error";
  status: number;
  /** The API's error type, e.g. `overloaded_error`, `api_error`, `rate_limit_error`. */
  errorType: string;
  message: string;
}

export type Reply = MessageReply | ErrorReply;

/** Decides the answer to one request. Keep it pure: derive everything from the request. */
export type Scenario = (request: MessagesRequest) => Reply;

export interface ReplyOptions extends ReplyTiming {
  thinking?: string;
  usage?: Partial<UsageFigures>;
}

export function textReply(text: string, options: ReplyOptions = {}): MessageReply {
  return { kind: "message", text, ...options };
}

export function toolUseReply(
  name: string,
  input: Record<string, unknown>,
  options: ReplyOptions & { text?: string } = {},
): MessageReply {
  return { kind: "message", toolUse: { name, input }, ...options };
}

export function errorReply(status: number, errorType: string, message: string, timing: ReplyTiming = {}): ErrorReply {
  return { kind: "error", status, errorType, message, ...timing };
}

export function overloadedReply(timing: ReplyTiming = {}): ErrorReply {
  return errorReply(529, "overloaded_error", "Overloaded", timing);
}

export function serverErrorReply(timing: ReplyTiming = {}): ErrorReply {
  return errorReply(500, "api_error", "Internal server error", timing);
}

export function withTiming(reply: Reply, timing: ReplyTiming): Reply {
  return { ...reply, ...timing };
}
