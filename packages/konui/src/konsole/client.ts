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
import type { KonsoleApp } from "@kon/konsole/app";
import { hc } from "hono/client";
import type { z } from "zod";
import { requestIdHeaders } from "@kon/openapi";

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
function searchOf(query: Record<string, string | number | readonly string[] | undefined>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params[key] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return params;
}

export interface KonsoleClientOptions {
  baseUrl: string;
  serviceToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type KonsoleRpc = ReturnType<typeof hc<KonsoleApp>>;

export function createKonsoleClient(options: KonsoleClientOptions): KonsoleApi {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timedFetch: typeof fetch = async (input, init) => {
    try {
      const headers = new Headers(init?.headers);
      for (const [name, value] of Object.entries(requestIdHeaders())) headers.set(name, value);
      return await doFetch(input, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new ApiError("unavailable", `konsole is unreachable: ${(err as Error).message}`);
    }
  };
  // Paths, parameters and bodies are typed by konsole's own routes; answers are still parsed.
  const konsole: KonsoleRpc = hc<KonsoleApp>(options.baseUrl, { fetch: timedFetch, headers: { authorization: `Bearer ${options.serviceToken}` } });

  async function failure(response: Response, what: string): Promise<ApiError> {
    const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
    const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    if (response.status === 429) return new ApiError("queue_full", `konsole is busy: ${message}`);
    if (response.status === 404) return new ApiError("not_found", `konsole: ${message}`);
    // e.g. a turn that finished while konui still saw it running.
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

  const session = (sessionId: string) => ({ param: { sessionId } });
  const turn = (turnId: string) => ({ param: { turnId } });
  return {
    startTurn: async (sessionId, request) =>
      expect(await konsole.sessions[":sessionId"].turns.$post({ ...session(sessionId), query: {}, json: request }), TurnAccepted, "start a turn"),
    getTurn: async (turnId) => expect(await konsole.turns[":turnId"].$get(turn(turnId)), Turn, "get a turn"),
    interruptTurn: async (turnId) => expectEmpty(await konsole.turns[":turnId"].interrupt.$post(turn(turnId)), "interrupt a turn", true),
    resetSession: async (sessionId) => expectEmpty(await konsole.sessions[":sessionId"].reset.$post(session(sessionId)), "reset a session", true),
    deleteSession: async (sessionId) => expectEmpty(await konsole.sessions[":sessionId"].$delete(session(sessionId)), "delete a session", true),
    hotStatus: async () => expect(await konsole.hot.status.$get(), HotStatus, "report hot status"),
    answerPermission: async (turnId, requestId, answer) =>
      expectEmpty(await konsole.turns[":turnId"].permissions[":requestId"].$post({ param: { turnId, requestId }, json: answer }), "answer a permission request", false),
    observerSessions: async (query) => expect(await konsole.observer.sessions.$get({ query: searchOf(query) }), ObservedSessionPage, "list host sessions"),
    observerSession: async (id) => expect(await konsole.observer.sessions[":id"].$get({ param: { id } }), ObservedSessionDetail, "describe a host session"),
    observerUsage: async (query) => expect(await konsole.observer.usage.$get({ query: searchOf(query) }), ObservedUsageReport, "report host usage"),
    observerBlocks: async (query) => expect(await konsole.observer.blocks.$get({ query: searchOf(query) }), UsageBlocksReport, "report usage blocks"),
    observerStatus: async () => expect(await konsole.observer.status.$get(), ObserverStatus, "report the observer's status"),
    adoptConversation: async (sessionId, request) =>
      expect(await konsole.sessions[":sessionId"].adopt.$post({ ...session(sessionId), json: request }), KonsoleSession, "adopt a conversation"),
  };
}
