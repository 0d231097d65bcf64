import { and, asc, eq, gt, max } from "drizzle-orm";
import { JournalPayload, type JournalEntry } from "@kon/protocol";
import type { KonsoleDb } from "./database.ts";
import { journalEntries } from "./schema.ts";

type EntryRow = typeof journalEntries.$inferSelect;
export type JournalListener = (entry: JournalEntry) => void;

function entryFromRow(row: EntryRow): JournalEntry {
  const payload = JournalPayload.safeParse(JSON.parse(row.payload));
  return {
    cursor: row.cursor,
    turnId: row.turnId,
    sessionId: row.sessionId,
    seq: row.seq,
    at: row.at,
    payload: payload.success ? payload.data : { type: "stderr", text: `unreadable journal payload: ${row.payload.slice(0, 200)}` },
  };
}

/**
 * The durable, append-only record of everything turns said, with a global cursor and a
 * per-turn `seq`. Appends are synchronous and reach live listeners in cursor order.
 */
export class TurnJournal {
  private readonly lastSeq = new Map<string, number>();
  private readonly listeners = new Set<JournalListener>();

  constructor(private readonly db: KonsoleDb) {}

  append(turnId: string, sessionId: string, payload: JournalPayload): JournalEntry {
    const seq = this.nextSeq(turnId);
    const at = new Date().toISOString();
    const row = this.db
      .insert(journalEntries)
      .values({ turnId, sessionId, seq, at, payload: JSON.stringify(payload) })
      .returning({ cursor: journalEntries.cursor })
      .get();
    this.lastSeq.set(turnId, seq);
    const entry: JournalEntry = { cursor: row.cursor, turnId, sessionId, seq, at, payload };
    for (const listener of [...this.listeners]) listener(entry);
    return entry;
  }

  /** Forgets the in-memory seq of a finished turn (the database still has it). */
  forgetTurn(turnId: string): void {
    this.lastSeq.delete(turnId);
  }

  private nextSeq(turnId: string): number {
    const known = this.lastSeq.get(turnId);
    if (known !== undefined) return known + 1;
    const stored = this.db.select({ seq: max(journalEntries.seq) }).from(journalEntries).where(eq(journalEntries.turnId, turnId)).get();
    return (stored?.seq ?? 0) + 1;
  }

  turnEntries(turnId: string, afterSeq: number, limit: number): JournalEntry[] {
    return this.db
      .select()
      .from(journalEntries)
      .where(and(eq(journalEntries.turnId, turnId), gt(journalEntries.seq, afterSeq)))
      .orderBy(asc(journalEntries.seq))
      .limit(limit)
      .all()
      .map(entryFromRow);
  }

  /** Entries after `cursor`, of one session or of all. */
  entriesAfter(cursor: number, sessionId: string | undefined, limit: number): JournalEntry[] {
    const where = sessionId
      ? and(gt(journalEntries.cursor, cursor), eq(journalEntries.sessionId, sessionId))
      : gt(journalEntries.cursor, cursor);
    return this.db.select().from(journalEntries).where(where).orderBy(asc(journalEntries.cursor)).limit(limit).all().map(entryFromRow);
  }

  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
