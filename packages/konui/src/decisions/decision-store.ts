import type { DecisionListQuery } from "@kon/protocol";
import { and, desc, eq, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/open.ts";
import { decisions, messages } from "../db/schema.ts";
import { decodeCursor, encodeCursor } from "../kontasks/cursor.ts";
import type { DecisionRow } from "./decision-row.ts";

/** Whose decisions a caller sees: everyone's (admins), or their own sessions' and those of the agents they approve for. */
export type DecisionViewer = { kind: "admin" } | { kind: "user"; userId: string; approverOf: readonly string[] };

export type SettledPatch = Pick<DecisionRow, "status" | "decidedBy" | "answeredAt" | "answer"> &
  Partial<Pick<DecisionRow, "answeredByUserId" | "answeredByUsername" | "grantedRules">>;

/** The decisions table: recorded once per CLI request, settled once, by conditional updates. */
export class DecisionStore {
  constructor(private readonly db: Db) {}

  /** The new row, or undefined when this request was recorded before (the journal is replayed after a reconnect). */
  insert(tx: Tx, row: DecisionRow): DecisionRow | undefined {
    return tx.insert(decisions).values(row).onConflictDoNothing().returning().get();
  }

  find(id: string): DecisionRow | undefined {
    return this.db.select().from(decisions).where(eq(decisions.id, id)).get();
  }

  /** Settles a pending decision; undefined when it was no longer pending (someone else won). */
  settle(id: string, patch: SettledPatch): DecisionRow | undefined {
    return this.db
      .update(decisions)
      .set(patch)
      .where(and(eq(decisions.id, id), eq(decisions.status, "pending")))
      .returning()
      .get();
  }

  /** Undoes a person's answer that could not be delivered, if nothing changed it since. */
  reopen(row: DecisionRow): DecisionRow | undefined {
    return this.replace(row, {
      status: "pending",
      decidedBy: null,
      answeredAt: null,
      answer: null,
      answeredByUserId: null,
      answeredByUsername: null,
      grantedRules: [],
    });
  }

  /** Changes how a settled decision ended, if nothing changed it since `row` was read. */
  replace(row: DecisionRow, patch: SettledPatch | Partial<DecisionRow>): DecisionRow | undefined {
    return this.db
      .update(decisions)
      .set(patch)
      .where(and(eq(decisions.id, row.id), eq(decisions.status, row.status), eq(decisions.answeredAt, row.answeredAt ?? -1)))
      .returning()
      .get();
  }

  /** Cancels what still waits in a turn that has ended. */
  cancelTurn(turnId: string, patch: SettledPatch): DecisionRow[] {
    return this.db
      .update(decisions)
      .set(patch)
      .where(and(eq(decisions.turnId, turnId), eq(decisions.status, "pending")))
      .returning()
      .all();
  }

  /** Pending decisions by agent and kind, for the metrics gauge. */
  pendingCounts(): { agent: string; kind: string; count: number }[] {
    return this.db
      .select({ agent: decisions.agent, kind: decisions.kind, count: sql<number>`count(*)` })
      .from(decisions)
      .where(eq(decisions.status, "pending"))
      .groupBy(decisions.agent, decisions.kind)
      .all();
  }

  pending(): DecisionRow[] {
    return this.db.select().from(decisions).where(eq(decisions.status, "pending")).all();
  }

  /** Turns with pending decisions that konui already knows have ended. */
  endedTurnsWithPending(): string[] {
    return this.db
      .selectDistinct({ turnId: decisions.turnId })
      .from(decisions)
      .innerJoin(messages, and(eq(messages.turnId, decisions.turnId), eq(messages.role, "user")))
      .where(and(eq(decisions.status, "pending"), inArray(messages.turnStatus, ["succeeded", "failed"])))
      .all()
      .map((row) => row.turnId);
  }

  /** Allow rules "always allow" answers granted in a session. */
  sessionRules(sessionId: string): string[] {
    const rows = this.db
      .select({ rules: decisions.grantedRules })
      .from(decisions)
      .where(and(eq(decisions.sessionId, sessionId), sql`${decisions.grantedRules} != '[]'`))
      .all();
    return [...new Set(rows.flatMap((row) => row.rules))];
  }

  list(query: DecisionListQuery, viewer: DecisionViewer): { rows: DecisionRow[]; nextCursor: string | null } {
    const conditions: (SQL | undefined)[] = [this.visibility(viewer)];
    if (query.status) conditions.push(eq(decisions.status, query.status));
    if (query.agent) conditions.push(eq(decisions.agent, query.agent));
    if (query.sessionId) conditions.push(eq(decisions.sessionId, query.sessionId));
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      conditions.push(or(lt(decisions.createdAt, after.createdAt), and(eq(decisions.createdAt, after.createdAt), lt(decisions.id, after.id))));
    }
    const rows = this.db
      .select()
      .from(decisions)
      .where(and(...conditions))
      .orderBy(desc(decisions.createdAt), desc(decisions.id))
      .limit(query.limit + 1)
      .all();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { rows: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  private visibility(viewer: DecisionViewer): SQL | undefined {
    if (viewer.kind === "admin") return undefined;
    const own = eq(decisions.userId, viewer.userId);
    return viewer.approverOf.length > 0 ? or(own, inArray(decisions.agent, [...viewer.approverOf])) : own;
  }
}
