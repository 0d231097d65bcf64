import { randomUUID } from "node:crypto";
import {
  ApiError,
  PermissionAnswer,
  ObserverBlocksQuery,
  ObserverSessionsQuery,
  ObserverUsageQuery,
  StartTurnRequest,
  type AdoptConversationRequest,
  type HotStatus,
  type KonsoleSession,
  type ObservedSession,
  type ObservedSessionDetail,
  type ObservedSessionPage,
  type ObservedUsageReport,
  type ObserverStatus,
  type StartTurnParams,
  type Turn,
  type TurnAccepted,
  type UsageBlocksReport,
} from "@kon/protocol";
import type { KonsoleApi, ObserverQuery } from "../../src/konsole/client.ts";

const noUsage = () => ({ tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, costUsd: 0, messages: 0, unpricedMessages: 0 });

export interface TurnScript {
  status: "succeeded" | "failed";
  reply?: string;
  error?: Turn["error"];
  /** Leave the turn running until `finish` is called. */
  hold?: boolean;
}

/**
 * A KonsoleApi test double: turns finish at once (or when told) with a scripted outcome, and each
 * finished turn goes to `journal` as konsole's journal stream would bring it to konui's consumer.
 */
export class FakeKonsole implements KonsoleApi {
  /** Where finished turns go (the harness points it at konui's recorder, as its consumer does). */
  journal: ((turn: Turn) => void) | undefined;
  readonly requests: { sessionId: string; request: StartTurnParams }[] = [];
  readonly turns = new Map<string, Turn>();
  readonly resets: string[] = [];
  readonly deletes: string[] = [];
  readonly interrupts: string[] = [];
  /** Permission answers written, in order; `permissionWaiting` says whether a request still waits (else 404). */
  readonly answers: { turnId: string; requestId: string; answer: PermissionAnswer }[] = [];
  permissionWaiting: (turnId: string, requestId: string) => boolean = () => true;
  readonly claudeIds = new Map<string, string>();
  failWith: ApiError | undefined;
  /** Sessions /hot/status reports a live process for. */
  hotSessionIds: string[] = [];
  /** /hot/status fails as an unreachable konsole does. */
  hotStatusDown = false;
  /** What the fake observer has indexed; queries are recorded as konsole would parse them. */
  hostSessions: ObservedSession[] = [];
  readonly observerQueries: { view: string; sessions: readonly string[] | undefined }[] = [];
  readonly adoptions: { sessionId: string; request: AdoptConversationRequest }[] = [];
  /** The observer's routes fail as an unreachable konsole does. */
  observerDown = false;
  script: (request: StartTurnParams) => TurnScript = (request) => ({ status: "succeeded", reply: `echo: ${request.text}` });

  async startTurn(sessionId: string, raw: StartTurnRequest): Promise<TurnAccepted> {
    if (this.failWith) throw this.failWith;
    // Parsed as konsole parses it, so a request konsole would refuse fails the test.
    const request = StartTurnRequest.parse(raw);
    this.requests.push({ sessionId, request });
    const turn: Turn = {
      id: randomUUID(),
      sessionId,
      userId: request.userId,
      requestId: request.requestId ?? null,
      mode: request.mode,
      status: "queued",
      reply: null,
      error: null,
      recovered: false,
      memoryLost: false,
      claudeSessionId: null,
      pid: null,
      figures: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
    };
    this.turns.set(turn.id, turn);
    const script = this.script(request);
    // konsole journals the outcome after it has answered the start.
    if (!script.hold) {
      const done = this.settle(turn.id, script);
      setImmediate(() => this.journal?.({ ...done }));
    }
    return { turn: { ...turn }, queuePosition: 0 };
  }

  /** Ends a held turn now, and journals it. */
  finish(turnId: string, script: TurnScript): Turn {
    const done = this.settle(turnId, script);
    this.journal?.({ ...done });
    return done;
  }

  private settle(turnId: string, script: TurnScript): Turn {
    const turn = this.turns.get(turnId);
    if (!turn) throw new Error(`no turn ${turnId}`);
    const claudeSessionId = this.claudeIds.get(turn.sessionId) ?? randomUUID();
    this.claudeIds.set(turn.sessionId, claudeSessionId);
    const done: Turn = {
      ...turn,
      status: script.status,
      reply: script.reply ?? null,
      error: script.error ?? null,
      claudeSessionId,
      figures: {
        totalMs: 1234,
        ttfeMs: 100,
        modelMs: 1000,
        toolMs: 234,
        toolCallCount: 1,
        costUsd: 0.0123,
        costSource: "cli",
        tokens: { input: 10, output: 20, cacheRead: 30, cacheCreation: 40 },
        model: "claude-test",
        numTurns: 2,
        lastCacheRatio: 0.1234,
        compactions: 0,
        credentials: "api_key",
      },
      finishedAt: new Date().toISOString(),
    };
    this.turns.set(turnId, done);
    return done;
  }

  async getTurn(turnId: string): Promise<Turn> {
    const turn = this.turns.get(turnId);
    if (!turn) throw new ApiError("not_found", "no such turn");
    return { ...turn };
  }

  async interruptTurn(turnId: string): Promise<void> {
    this.interrupts.push(turnId);
  }

  async resetSession(sessionId: string): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.resets.push(sessionId);
    this.claudeIds.delete(sessionId);
  }

  async deleteSession(sessionId: string): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.deletes.push(sessionId);
  }

  async answerPermission(turnId: string, requestId: string, answer: PermissionAnswer): Promise<void> {
    if (this.failWith) throw this.failWith;
    if (!this.permissionWaiting(turnId, requestId)) throw new ApiError("not_found", `konsole: no permission request ${requestId} is waiting`);
    this.answers.push({ turnId, requestId, answer: PermissionAnswer.parse(answer) });
  }

  async hotStatus(): Promise<HotStatus> {
    if (this.hotStatusDown) throw new ApiError("unavailable", "konsole is unreachable: connect ECONNREFUSED");
    const processes = this.hotSessionIds.map((sessionId, i) => ({
      pid: 1000 + i,
      sessionId,
      claudeSessionId: randomUUID(),
      state: "idle" as const,
      ageSec: 1,
      idleSec: 1,
      prompts: 1,
      rssBytes: null,
    }));
    return {
      poolSize: processes.length,
      targetSize: 0,
      activeSessions: processes.length,
      processes,
      refill: { failures: 0, backoffUntil: null, stopped: false, lastError: null },
    };
  }

  private observed(view: string, sessions: readonly string[] | undefined): ObservedSession[] {
    if (this.observerDown) throw new ApiError("unavailable", "konsole is unreachable: connect ECONNREFUSED");
    this.observerQueries.push({ view, sessions });
    return this.hostSessions.filter((session) => !sessions || sessions.includes(session.id));
  }

  async observerSessions(query: ObserverQuery<typeof ObserverSessionsQuery>): Promise<ObservedSessionPage> {
    const parsed = ObserverSessionsQuery.parse({ ...query, sessions: query.sessions?.join(",") });
    const sessions = this.observed("sessions", parsed.sessions);
    return { sessions, total: sessions.length, nextOffset: null };
  }

  async observerSession(id: string): Promise<ObservedSessionDetail> {
    const session = this.observed("session", [id])[0];
    if (!session) throw new ApiError("not_found", `konsole: No observed session ${id}`);
    return { ...session, filesChanged: [], usageSeries: [] };
  }

  async observerUsage(query: ObserverQuery<typeof ObserverUsageQuery>): Promise<ObservedUsageReport> {
    const parsed = ObserverUsageQuery.parse({ ...query, sessions: query.sessions?.join(",") });
    const sessions = this.observed("usage", parsed.sessions);
    const rows = sessions.map((session) => ({ key: session.id, ...session.usage }));
    return { groupBy: parsed.groupBy, since: parsed.since ?? null, until: parsed.until ?? null, rows, totals: rows[0] ?? noUsage() };
  }

  async observerBlocks(query: ObserverQuery<typeof ObserverBlocksQuery>): Promise<UsageBlocksReport> {
    this.observed("blocks", ObserverBlocksQuery.parse({ ...query, sessions: query.sessions?.join(",") }).sessions);
    return { blocks: [] };
  }

  async observerStatus(): Promise<ObserverStatus> {
    this.observed("status", undefined);
    return { roots: ["/home/me/.claude"], files: this.hostSessions.length, sessions: this.hostSessions.length, lines: 0, malformedLines: 0, lastScanAt: null };
  }

  async adoptConversation(sessionId: string, request: AdoptConversationRequest): Promise<KonsoleSession> {
    if (this.failWith) throw this.failWith;
    this.adoptions.push({ sessionId, request });
    this.claudeIds.set(sessionId, request.claudeSessionId);
    const now = new Date().toISOString();
    return { id: sessionId, claudeSessionId: request.claudeSessionId, cwd: request.cwd, hot: false, queued: 0, runningTurnId: null, createdAt: now, updatedAt: now };
  }
}
