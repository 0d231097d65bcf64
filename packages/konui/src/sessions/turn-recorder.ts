import { randomUUID } from "node:crypto";
import type { AgentSession, Message, ToolCall, Turn, TurnFigures, TurnStatus, TurnTiming } from "@kon/protocol";
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/open.ts";
import { agentSessions, messages } from "../db/schema.ts";
import type { SpendingLedger } from "../budgets/spending-ledger.ts";
import type { LiveHub } from "../live/hub.ts";
import type { Clock } from "../time.ts";
import { toMessage, type MessageRow } from "./messages.ts";
import type { PartialReplies } from "./partial-replies.ts";
import { activityOfSession, type SessionActivity } from "./session-activity.ts";
import type { SessionFrames } from "./session-frames.ts";
import type { AgentSessionStore } from "./store.ts";
import type { ToolCallStore } from "./tool-calls.ts";
import type { KonuiBus } from "../events/bus.ts";

type Listener = (message: Message) => void;

export const isFinished = (turn: Pick<Turn, "status">): boolean =>
  turn.status === "succeeded" || turn.status === "failed";

/** Statuses only move forward: a late snapshot (the queued answer of a send) never undoes a newer one. */
const rank: Record<TurnStatus, number> = { queued: 0, running: 1, succeeded: 2, failed: 2 };

/** konsole's model time includes the wait for the first output; the bar shows the two apart, as a kontask's timing does. */
export function timingOf(figures: TurnFigures): TurnTiming {
  return {
    totalMs: figures.totalMs,
    ttfeMs: figures.ttfeMs,
    thinkingMs: Math.max(0, figures.modelMs - (figures.ttfeMs ?? 0)),
    toolExecutionMs: figures.toolMs,
    toolCallCount: figures.toolCallCount,
  };
}

export interface TurnRecorderDeps {
  db: Db;
  hub: LiveHub;
  sessions: AgentSessionStore;
  sessionFrames: SessionFrames;
  toolCalls: ToolCallStore;
  partials: PartialReplies;
  ledger: SpendingLedger;
  now: Clock;
  bus: KonuiBus;
}

interface Outcome {
  agent: string;
  userId: string;
  statusChanged: boolean;
  message: Message | undefined;
  inserted: boolean;
  abandonedCalls: ToolCall[];
  session: AgentSession | undefined;
}

const sameActivity = (a: SessionActivity, b: SessionActivity): boolean => a.state === b.state && a.activeTurnId === b.activeTurnId;

/**
 * The owner of konui's message rows and of a turn's record: the user message that starts it, its
 * latest status (on that message), its outcome (the assistant message, written exactly once, from
 * konsole's journal as the consumer follows it) with its line in the spending ledger, and the
 * `turn`, `message` and `session` frames, one per change.
 */
export class TurnRecorder {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly deps: TurnRecorderDeps) {}

  assistantMessage(turnId: string): Message | undefined {
    const row = this.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.turnId, turnId), eq(messages.role, "assistant")))
      .get();
    return row ? toMessage(row) : undefined;
  }

  /** Stores a user message about to be sent as a turn. */
  addUserMessage(row: MessageRow): void {
    this.deps.db.insert(messages).values(row).run();
  }

  /** Forgets a user message konsole never took as a turn. */
  withdrawUserMessage(messageId: string): void {
    this.deps.db.delete(messages).where(and(eq(messages.id, messageId), eq(messages.role, "user"))).run();
  }

  /** Calls `listener` once the turn's assistant message is stored. */
  onRecorded(turnId: string, listener: Listener): () => void {
    const set = this.listeners.get(turnId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(turnId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(turnId);
    };
  }

  /**
   * Records a turn snapshot; turns konui did not start are ignored. `alsoInTransaction` commits
   * together with it (the consumer's cursor). Answers the assistant message once there is one.
   */
  record(turn: Turn, alsoInTransaction?: (tx: Tx) => void): Message | undefined {
    const outcome = this.deps.db.transaction((tx) => {
      const result = this.write(tx, turn);
      alsoInTransaction?.(tx);
      return result;
    });
    if (isFinished(turn)) this.deps.partials.end(turn.id);
    if (!outcome) return undefined;
    const { agent, userId, message } = outcome;
    const audience = { userIds: [userId] };
    const sessionId = turn.sessionId;
    for (const call of outcome.abandonedCalls) this.deps.hub.publish({ type: "tool", agent, sessionId, call }, audience);
    if (outcome.statusChanged) {
      this.deps.hub.publish({ type: "turn", agent, sessionId, turnId: turn.id, status: turn.status }, audience);
    }
    if (outcome.inserted && message) {
      this.deps.bus.publish({ type: "turn.recorded", agent, turn });
      this.deps.hub.publish({ type: "message", agent, sessionId, message }, audience);
      for (const listener of [...(this.listeners.get(turn.id) ?? [])]) listener(message);
    }
    if (outcome.session) this.deps.sessionFrames.publish("updated", outcome.session);
    return message;
  }

  private write(tx: Tx, turn: Turn): Outcome | undefined {
    const userMessage = this.userMessageOf(tx, turn);
    if (!userMessage) return undefined;
    const session = tx.select().from(agentSessions).where(eq(agentSessions.id, userMessage.sessionId)).get();
    if (!session) return undefined;

    const before = activityOfSession(this.deps.db, session.id);
    const statusChanged = userMessage.turnStatus === null || rank[turn.status] > rank[userMessage.turnStatus];
    if (statusChanged || userMessage.turnId === null) {
      tx.update(messages)
        .set({ turnId: turn.id, ...(statusChanged ? { turnStatus: turn.status } : {}) })
        .where(eq(messages.id, userMessage.id))
        .run();
    }
    const finished = isFinished(turn) ? this.writeOutcome(tx, turn, userMessage, session) : undefined;
    const after = activityOfSession(this.deps.db, session.id);
    const current = tx.select().from(agentSessions).where(eq(agentSessions.id, session.id)).get() ?? session;
    return {
      agent: session.agent,
      userId: session.userId,
      statusChanged,
      message: finished?.message,
      inserted: finished?.inserted ?? false,
      abandonedCalls: finished?.abandonedCalls ?? [],
      // `hot` is filled in by SessionFrames.
      session: sameActivity(before, after) ? undefined : this.deps.sessions.present(current, null),
    };
  }

  private writeOutcome(tx: Tx, turn: Turn, userMessage: MessageRow, session: typeof agentSessions.$inferSelect) {
    const existing = tx
      .select()
      .from(messages)
      .where(and(eq(messages.turnId, turn.id), eq(messages.role, "assistant")))
      .get();
    if (existing) return { message: toMessage(existing), inserted: false, abandonedCalls: [] };

    const now = this.deps.now();
    const figures = turn.figures;
    const row: MessageRow = {
      id: randomUUID(),
      sessionId: session.id,
      role: "assistant",
      text: turn.reply ?? "",
      attachments: [],
      turnId: turn.id,
      status: turn.status === "succeeded" ? "complete" : "failed",
      error: turn.error,
      costUsd: figures?.costUsd ?? null,
      durationMs: figures?.totalMs ?? null,
      tokens: figures?.tokens ?? null,
      lastCachePct: figures?.lastCacheRatio == null ? null : Math.round(figures.lastCacheRatio * 1000) / 10,
      timing: figures ? timingOf(figures) : null,
      model: figures?.model ?? null,
      turnStatus: null,
      recovered: turn.recovered,
      memoryLost: turn.memoryLost,
      claudeSessionId: turn.claudeSessionId,
      memoryEpoch: userMessage.memoryEpoch,
      createdAt: Math.max(now, userMessage.createdAt + 1),
    };
    tx.insert(messages).values(row).run();
    this.deps.ledger.record(tx, { turnId: turn.id, sessionId: session.id, userId: session.userId, agent: session.agent, figures, recordedAt: now });
    const abandonedCalls = this.deps.toolCalls.abandon(tx, turn.id);
    // A turn sent before a reset may finish after it: its reply is shown, its conversation is not resumed.
    const sentSinceLastReset = userMessage.memoryEpoch === session.memoryEpoch;
    const claudeSessionId = sentSinceLastReset ? (turn.claudeSessionId ?? session.claudeSessionId) : session.claudeSessionId;
    tx.update(agentSessions).set({ claudeSessionId, updatedAt: now }).where(eq(agentSessions.id, session.id)).run();
    return { message: toMessage(row), inserted: true, abandonedCalls };
  }

  /** The user message that started the turn: konui sends its id as the turn's requestId. */
  private userMessageOf(tx: Tx, turn: Turn): MessageRow | undefined {
    if (turn.requestId) {
      const byRequest = tx
        .select()
        .from(messages)
        .where(and(eq(messages.id, turn.requestId), eq(messages.sessionId, turn.sessionId), eq(messages.role, "user")))
        .get();
      if (byRequest) return byRequest;
    }
    return tx
      .select()
      .from(messages)
      .where(and(eq(messages.turnId, turn.id), eq(messages.role, "user")))
      .get();
  }
}
