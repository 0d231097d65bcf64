// A scriptable stand-in for the Anthropic Messages API on loopback, for driving the real
// `claude` CLI offline (ANTHROPIC_BASE_URL=<url>).

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate } from "node:zlib";
import { errorReply, type Reply, type Scenario } from "./messages-api-reply.ts";
import { isSideRequest, parseMessagesRequest, type MessagesRequest } from "./messages-api-request.ts";
import { memory, sideRequestDefault } from "./messages-api-scenarios.ts";
import { buildMessage, encodeSse, errorBody, streamEvents } from "./messages-api-sse.ts";

export * from "./messages-api-reply.ts";
export * from "./messages-api-request.ts";
export * from "./messages-api-scenarios.ts";

export type RouteName = "messages" | "count_tokens" | "probe" | "unknown";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Without the `?`; empty when there was none. */
  query: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else its text (empty when there was none). */
  body: unknown;
  route: RouteName;
  /** For `messages`: the parsed request, and whether it is beside the conversation. */
  messages?: MessagesRequest;
  side: boolean;
  /** What the stand-in answered with. */
  status?: number;
}

export interface MessagesApiOptions {
  /** Answers the conversation's requests; default `memory()`. */
  scenario?: Scenario;
  /** Answers side requests (titles, summaries …); default short text. */
  sideScenario?: Scenario;
  /** Called for a route the stand-in does not know; default: a warning on stderr. */
  onUnknownRoute?: (request: RecordedRequest) => void;
}

export interface MessagesApi {
  url: string;
  /** Every request so far, oldest first (a live array). */
  requests: RecordedRequest[];
  setScenario(scenario: Scenario): void;
  stop(): Promise<void>;
}

/** The conversation's requests (not side requests), parsed, oldest first. */
export function conversationRequests(requests: readonly RecordedRequest[]): MessagesRequest[] {
  return requests.flatMap((request) => (request.messages && !request.side ? [request.messages] : []));
}

const decoders: Record<string, (input: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const decode = decoders[String(req.headers["content-encoding"] ?? "")];
  const text = (decode ? await decode(raw) : raw).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function routeOf(method: string, path: string): RouteName {
  if (method === "POST" && path === "/v1/messages") return "messages";
  if (method === "POST" && path === "/v1/messages/count_tokens") return "count_tokens";
  if (method === "HEAD" || (method === "GET" && (path === "/" || path === "/api/hello"))) return "probe";
  return "unknown";
}

// Ids unique within the test process, so requests of different stand-ins never share one.
let idCounter = 0;

function nextRequestId(): string {
  return `req_standin_${++idCounter}`;
}

function sendJson(res: ServerResponse, status: number, body: string, requestId = nextRequestId()): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": requestId });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, errorType: string, message: string): void {
  const requestId = nextRequestId();
  sendJson(res, status, errorBody({ errorType, message }, requestId), requestId);
}

function estimateTokens(body: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(body ?? "").length / 4));
}

export async function startMessagesApi(options: MessagesApiOptions = {}): Promise<MessagesApi> {
  let scenario = options.scenario ?? memory();
  const sideScenario = options.sideScenario ?? sideRequestDefault();
  const onUnknownRoute =
    options.onUnknownRoute ??
    ((request: RecordedRequest) => console.warn(`[messages-api] unknown route ${request.method} ${request.path}`));
  const requests: RecordedRequest[] = [];
  const stopping = new AbortController();

  /** Sends `reply`, recording its status in `record` as soon as the status line goes out. */
  async function answer(
    reply: Reply,
    request: MessagesRequest,
    record: RecordedRequest,
    res: ServerResponse,
    signal: AbortSignal,
  ): Promise<void> {
    const n = ++idCounter;
    const requestId = `req_standin_${n}`;
    if (reply.firstByteDelayMs) await sleep(reply.firstByteDelayMs, undefined, { signal });
    if (reply.hold) await untilSettledOrAborted(reply.hold, signal);
    if (reply.kind === "error") {
      record.status = reply.status;
      sendJson(res, reply.status, errorBody(reply, requestId), requestId);
      return;
    }
    const ids = { messageId: `msg_standin_${n}`, toolUseId: `toolu_standin_${n}` };
    const message = buildMessage(reply, request.model, ids);
    record.status = 200;
    if (!request.stream) {
      sendJson(res, 200, JSON.stringify(message), requestId);
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "request-id": requestId,
    });
    for (const event of streamEvents(message)) {
      if (reply.deltaDelayMs && event.event === "content_block_delta") {
        await sleep(reply.deltaDelayMs, undefined, { signal });
      }
      res.write(encodeSse(event));
    }
    res.end();
  }

  async function handleMessages(record: RecordedRequest, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const parsed = parseMessagesRequest(record.body);
    if (typeof parsed === "string") {
      record.status = 400;
      sendError(res, 400, "invalid_request_error", parsed);
      return;
    }
    record.messages = parsed;
    record.side = isSideRequest(parsed);
    let reply: Reply;
    try {
      reply = (record.side ? sideScenario : scenario)(parsed);
    } catch (error) {
      console.error("[messages-api] scenario threw", error);
      reply = errorReply(500, "api_error", `stand-in scenario failed: ${String(error)}`);
    }
    await answer(reply, parsed, record, res, signal);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const closed = new AbortController();
    res.on("close", () => closed.abort());
    const signal = AbortSignal.any([stopping.signal, closed.signal]);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search.slice(1),
      headers: req.headers,
      body: await readBody(req),
      route: routeOf(method, url.pathname),
      side: false,
    };
    requests.push(record);
    switch (record.route) {
      case "messages":
        await handleMessages(record, res, signal);
        return;
      case "count_tokens":
        record.status = 200;
        sendJson(res, 200, JSON.stringify({ input_tokens: estimateTokens(record.body) }));
        return;
      case "probe":
        record.status = 200;
        if (method === "HEAD") res.writeHead(200).end();
        else sendJson(res, 200, "{}");
        return;
      case "unknown":
        record.status = 404;
        onUnknownRoute(record);
        sendError(res, 404, "not_found_error", `Not found: ${method} ${url.pathname}`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // An aborted delay (client gone or stand-in stopping) is expected; anything else is a bug here.
      if (signalAborted(error)) {
        res.destroy();
        return;
      }
      console.error("[messages-api] request failed", error);
      if (res.headersSent) res.destroy();
      else sendError(res, 500, "api_error", String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setScenario(next) {
      scenario = next;
    },
    async stop() {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function untilSettledOrAborted(hold: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    void hold.finally(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    });
  });
}

function signalAborted(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
