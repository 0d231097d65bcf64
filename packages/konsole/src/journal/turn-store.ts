import { randomUUID } from "node:crypto";
import { asc, eq, inArray } from "drizzle-orm";
import { MaxTurns, TurnBudget, TurnFigures, type Turn, type TurnErrorCode, type TurnMode, type TurnStatus } from "@kon/protocol";
import { z } from "zod";
import type { KonsoleDb } from "./database.ts";
import { turns } from "./schema.ts";

export type TurnRow = typeof turns.$inferSelect;

/** What a turn runs under, kept with it so that whoever closes it (a restart too) judges it the same. */
export const TurnLimits = z.object({
  maxTurns: MaxTurns,
  executionTimeoutSec: z.number().int().positive().nullable(),
  budget: TurnBudget.nullable(),
});
export type TurnLimits = z.infer<typeof TurnLimits>;

/** The limits stored with a turn; null for a turn stored before they were. */
export function limitsOfRow(row: TurnRow): TurnLimits | null {
  const parsed = TurnLimits.safeParse(row.limits);
  return parsed.success ? parsed.data : null;
}

export interface NewTurn {
  sessionId: string;
  userId: string;
  requestId: string | undefined;
  mode: TurnMode;
  limits: TurnLimits;
}

export type TurnPatch = Partial<Omit<TurnRow, "id" | "sessionId" | "userId" | "createdAt">>;

export function turnFromRow(row: TurnRow): Turn {
  const figures = row.figures === null ? null : TurnFigures.safeParse(row.figures);
  return {
    id: row.id,
    sessionId: row.sessionId,
    userId: row.userId,
    requestId: row.requestId,
    mode: row.mode,
    status: row.status,
    reply: row.reply,
    error: row.errorCode ? { code: row.errorCode as TurnErrorCode, message: row.errorMessage ?? "" } : null,
    recovered: row.recovered,
    memoryLost: row.memoryLost,
    claudeSessionId: row.claudeSessionId,
    pid: row.pid,
    figures: figures?.success ? figures.data : null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export class TurnStore {
  constructor(private readonly db: KonsoleDb) {}

  /** A new queued turn's row, not stored yet (see `insert`). */
  draft(turn: NewTurn): TurnRow {
    return {
      id: randomUUID(),
      sessionId: turn.sessionId,
      userId: turn.userId,
      requestId: turn.requestId ?? null,
      mode: turn.mode,
      status: "queued",
      reply: null,
      errorCode: null,
      errorMessage: null,
      recovered: false,
      memoryLost: false,
      claudeSessionId: null,
      cwd: null,
      pid: null,
      processId: null,
      processTokenId: null,
      limits: turn.limits,
      figures: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
    };
  }

  insert(row: TurnRow): void {
    this.db.insert(turns).values(row).run();
  }

  get(id: string): TurnRow | undefined {
    return this.db.select().from(turns).where(eq(turns.id, id)).get();
  }

  /** Applies `patch` and returns the row as it now stands (one statement: UPDATE … RETURNING). */
  update(id: string, patch: TurnPatch): TurnRow {
    const row = Object.keys(patch).length > 0 ? this.db.update(turns).set(patch).where(eq(turns.id, id)).returning().get() : this.get(id);
    if (!row) throw new Error(`turn ${id} vanished`);
    return row;
  }

  listForSession(sessionId: string): TurnRow[] {
    return this.db.select().from(turns).where(eq(turns.sessionId, sessionId)).orderBy(asc(turns.createdAt)).all();
  }

  /** The session that ran each of these Claude conversations last (those konsole never ran are left out). */
  sessionsOfConversations(claudeSessionIds: readonly string[]): Map<string, string> {
    if (claudeSessionIds.length === 0) return new Map();
    const rows = this.db
      .select({ claudeSessionId: turns.claudeSessionId, sessionId: turns.sessionId })
      .from(turns)
      .where(inArray(turns.claudeSessionId, [...claudeSessionIds]))
      .orderBy(asc(turns.createdAt))
      .all();
    return new Map(rows.flatMap((row) => (row.claudeSessionId ? [[row.claudeSessionId, row.sessionId] as const] : [])));
  }

  withStatus(statuses: readonly TurnStatus[]): TurnRow[] {
    return this.db.select().from(turns).where(inArray(turns.status, [...statuses])).orderBy(asc(turns.createdAt)).all();
  }
}
