import {
  ApiError,
  ErrorBody,
  HotStatus,
  KonsoleSession,
  ObservedSessionDetail,
  ObservedSessionPage,
  ObservedUsageReport,
  ObserverStatus,
  Turn,
  TurnAccepted,
  type PermissionAnswer,
  UsageBlocksReport,
  type AdoptConversationRequest,
  type ObserverBlocksQuery,
  type ObserverSessionsQuery,
  type ObserverUsageQuery,
  type StartTurnRequest,
} from "@kon/protocol";
import type { z } from "zod";
import { requestIdHeaders } from "../http/request-context.ts";

/** Everything konui asks of konsole. Tests pass their own implementation to `createApp`. */
export interface KonsoleApi {
  startTurn(sessionId: string, request: StartTurnRequest): Promise<TurnAccepted>;
  getTurn(turnId: string): Promise<Turn>;
  interruptTurn(turnId: string): Promise<void>;
  /** Forget the Claude conversation; a session konsole never saw is fine. */
  resetSession(sessionId: string): Promise<void>;
  /** A session konsole never saw is fine. */
  deleteSession(sessionId: string): Promise<void>;
  hotStatus(): Promise<HotStatus>;
  /** Writes an answer to the tool permission request `requestId` a running turn waits on; 404 when none waits. */
  answerPermission(turnId: string, requestId: string, answer: PermissionAnswer): Promise<void>;
  /** The host observer's views (queries as konsole parses them; `sessions` narrows to those ids). */
  observerSessions(query: ObserverQuery<typeof ObserverSessionsQuery>): Promise<ObservedSessionPage>;
  observerSession(claudeSessionId: string): Promise<ObservedSessionDetail>;
  observerUsage(query: ObserverQuery<typeof ObserverUsageQuery>): Promise<ObservedUsageReport>;
  observerBlocks(query: ObserverQuery<typeof ObserverBlocksQuery>): Promise<UsageBlocksReport>;
  observerStatus(): Promise<ObserverStatus>;
  /** Binds a session konsole has not run yet to an existing Claude conversation. */
  adoptConversation(sessionId: string, request: AdoptConversationRequest): Promise<KonsoleSession>;
}

/** An observer query after parsing: what konui asks konsole for. */
export type ObserverQuery<S extends z.ZodType> = z.output<S>;

/** A parsed observer query back as URL parameters (id lists comma-separated). */
function searchOf(query: Record<string, string | number | readonly string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export interface KonsoleClientOptions {
  baseUrl: string;
  serviceToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function createKonsoleClient(options: KonsoleClientOptions): KonsoleApi {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.serviceToken}`,
          ...requestIdHeaders(),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ApiError("unavailable", `konsole is unreachable: ${(err as Error).message}`);
    }
    return response;
  }

  async function failure(response: Response, what: string): Promise<ApiError> {
    const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
    const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    if (response.status === 429) return new ApiError("queue_full", `konsole is busy: ${message}`);
    if (response.status === 404) return new ApiError("not_found", `konsole: ${message}`);
    if (response.status === 409) return new ApiError("conflict", `konsole: ${message}`);
    // What konui forwards comes from the caller's input (text, files), so these are theirs to fix.
    if (response.status === 413) return new ApiError("payload_too_large", `konsole refused to ${what}: ${message}`);
    if (response.status === 400) return new ApiError("bad_request", `konsole refused to ${what}: ${message}`);
    if (response.status >= 500) return new ApiError("unavailable", `konsole failed to ${what}: ${message}`);
    return new ApiError("internal", `konsole refused to ${what}: ${message}`);
  }

  async function expect<T extends z.ZodType>(response: Response, schema: T, what: string): Promise<z.output<T>> {
    if (!response.ok) throw await failure(response, what);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ApiError("unavailable", `konsole answered ${what} with an unexpected body`);
    return parsed.data;
  }

  async function expectEmpty(response: Response, what: string, tolerate404: boolean): Promise<void> {
    if (!response.ok && !(tolerate404 && response.status === 404)) throw await failure(response, what);
    await response.body?.cancel();
  }

  const seg = encodeURIComponent;
  return {
    startTurn: async (sessionId, request) =>
      expect(await call("POST", `/sessions/${seg(sessionId)}/turns`, request), TurnAccepted, "start a turn"),
    getTurn: async (turnId) => expect(await call("GET", `/turns/${seg(turnId)}`), Turn, "get a turn"),
    interruptTurn: async (turnId) =>
      expectEmpty(await call("POST", `/turns/${seg(turnId)}/interrupt`), "interrupt a turn", true),
    resetSession: async (sessionId) =>
      expectEmpty(await call("POST", `/sessions/${seg(sessionId)}/reset`), "reset a session", true),
    deleteSession: async (sessionId) =>
      expectEmpty(await call("DELETE", `/sessions/${seg(sessionId)}`), "delete a session", true),
    hotStatus: async () => expect(await call("GET", "/hot/status"), HotStatus, "report hot status"),
    answerPermission: async (turnId, requestId, answer) =>
      expectEmpty(await call("POST", `/turns/${seg(turnId)}/permissions/${seg(requestId)}`, answer), "answer a permission request", false),
    observerSessions: async (query) =>
      expect(await call("GET", `/observer/sessions${searchOf(query)}`), ObservedSessionPage, "list host sessions"),
    observerSession: async (id) =>
      expect(await call("GET", `/observer/sessions/${seg(id)}`), ObservedSessionDetail, "describe a host session"),
    observerUsage: async (query) => expect(await call("GET", `/observer/usage${searchOf(query)}`), ObservedUsageReport, "report host usage"),
    observerBlocks: async (query) => expect(await call("GET", `/observer/blocks${searchOf(query)}`), UsageBlocksReport, "report usage blocks"),
    observerStatus: async () => expect(await call("GET", "/observer/status"), ObserverStatus, "report the observer's status"),
    adoptConversation: async (sessionId, request) =>
      expect(await call("POST", `/sessions/${seg(sessionId)}/adopt`, request), KonsoleSession, "adopt a conversation"),
  };
}
