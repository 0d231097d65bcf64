import type { AgentSessionState } from "@kon/protocol";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import { messages } from "../db/schema.ts";

export interface SessionActivity {
  state: AgentSessionState;
  activeTurnId: string | null;
}

export const IDLE: SessionActivity = { state: "idle", activeTurnId: null };

const openStatuses = ["queued", "running"] as const;

/**
 * What each session is doing, from the turn statuses on its user messages: running if a turn
 * runs (that one is active), else queued (the oldest waiting one), else idle. Sessions not in
 * the answer are idle.
 */
export function activityOf(db: Db, sessionIds?: readonly string[]): Map<string, SessionActivity> {
  const open = inArray(messages.turnStatus, [...openStatuses]);
  const rows = db
    .select({ sessionId: messages.sessionId, turnId: messages.turnId, status: messages.turnStatus })
    .from(messages)
    .where(sessionIds ? and(open, inArray(messages.sessionId, [...sessionIds])) : open)
    .orderBy(asc(messages.createdAt), asc(sql`rowid`))
    .all();
  const activity = new Map<string, SessionActivity>();
  for (const row of rows) {
    if (row.turnId === null) continue;
    const current = activity.get(row.sessionId);
    if (current?.state === "running") continue;
    if (row.status === "running" || !current) {
      activity.set(row.sessionId, { state: row.status === "running" ? "running" : "queued", activeTurnId: row.turnId });
    }
  }
  return activity;
}

export const activityOfSession = (db: Db, sessionId: string): SessionActivity => activityOf(db, [sessionId]).get(sessionId) ?? IDLE;

/** Turns of the session queued before `turnId` that have not started yet. */
export function queuedAhead(db: Db, sessionId: string, before: { createdAt: number }): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(messages)
      .where(
        and(
          eq(messages.sessionId, sessionId),
          eq(messages.turnStatus, "queued"),
          sql`${messages.createdAt} < ${before.createdAt}`,
        ),
      )
      .get()?.n ?? 0
  );
}
