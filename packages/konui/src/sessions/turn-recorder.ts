import { randomUUID } from "node:crypto";
import type { Message, Turn } from "@kon/protocol";
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/open.ts";
import { agentSessions, messages } from "../db/schema.ts";
import type { LiveHub } from "../live/hub.ts";
import type { Clock } from "../time.ts";
import { toMessage, type MessageRow } from "./messages.ts";

type Listener = (message: Message) => void;

export const isFinished = (turn: Pick<Turn, "status">): boolean =>
  turn.status === "succeeded" || turn.status === "failed";

/**
 * Writes the outcome of a konsole turn as the session's assistant message, exactly once per
 * turn whoever reports it first (the event consumer, a waiting send, a status poll).
 */
export class TurnRecorder {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly db: Db,
    private readonly hub: LiveHub,
    private readonly now: Clock,
  ) {}

  assistantMessage(turnId: string): Message | undefined {
    const row = this.db
      .select()
      .from(messages)
      .where(and(eq(messages.turnId, turnId), eq(messages.role, "assistant")))
      .get();
    return row ? toMessage(row) : undefined;
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
   * Records a turn snapshot. Unfinished turns are only announced; turns konui did not start are
   * ignored. `alsoInTransaction` commits together with the outcome (the consumer's cursor).
   */
  record(turn: Turn, alsoInTransaction?: (tx: Tx) => void): Message | undefined {
    const outcome = this.db.transaction((tx) => {
      const result = this.write(tx, turn);
      alsoInTransaction?.(tx);
      return result;
    });
    if (!outcome) return undefined;
    const { agent, userId, message, inserted } = outcome;
    this.hub.publish({ type: "turn", agent, sessionId: turn.sessionId, turnId: turn.id, status: turn.status }, { userIds: [userId] });
    if (inserted && message) {
      this.hub.publish({ type: "message", agent, sessionId: turn.sessionId, message }, { userIds: [userId] });
      for (const listener of [...(this.listeners.get(turn.id) ?? [])]) listener(message);
    }
    return message;
  }

  private write(tx: Tx, turn: Turn) {
    const userMessage = this.userMessageOf(tx, turn);
    if (!userMessage) return undefined;
    const session = tx.select().from(agentSessions).where(eq(agentSessions.id, userMessage.sessionId)).get();
    if (!session) return undefined;
    const base = { agent: session.agent, userId: session.userId };
    if (userMessage.turnId === null) {
      tx.update(messages).set({ turnId: turn.id }).where(eq(messages.id, userMessage.id)).run();
    }
    if (!isFinished(turn)) return { ...base, message: undefined, inserted: false };

    const existing = tx
      .select()
      .from(messages)
      .where(and(eq(messages.turnId, turn.id), eq(messages.role, "assistant")))
      .get();
    if (existing) return { ...base, message: toMessage(existing), inserted: false };

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
      recovered: turn.recovered,
      memoryLost: turn.memoryLost,
      claudeSessionId: turn.claudeSessionId,
      memoryEpoch: userMessage.memoryEpoch,
      createdAt: Math.max(this.now(), userMessage.createdAt + 1),
    };
    tx.insert(messages).values(row).run();
    // A turn sent before a reset may finish after it: its reply is shown, its conversation is not resumed.
    const sentSinceLastReset = userMessage.memoryEpoch === session.memoryEpoch;
    const claudeSessionId = sentSinceLastReset ? (turn.claudeSessionId ?? session.claudeSessionId) : session.claudeSessionId;
    tx.update(agentSessions).set({ claudeSessionId, updatedAt: this.now() }).where(eq(agentSessions.id, session.id)).run();
    return { ...base, message: toMessage(row), inserted: true };
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
