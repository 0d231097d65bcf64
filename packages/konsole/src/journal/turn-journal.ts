import { and, asc, eq, gt, max } from "drizzle-orm";
import { JournalPayload, type JournalEntry, type Turn } from "@kon/protocol";
import { createKonsoleBus, type KonsoleBus } from "../events/bus.ts";
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

const isFinal = (turn: Turn): boolean => turn.status === "succeeded" || turn.status === "failed";

/**
 * The durable, append-only record of everything turns said, with a global cursor and a
 * per-turn `seq`. Appends are synchronous and reach the bus in cursor order: every entry as
 * `journal.appended`, and a turn's first `running` and its final state as `turn.started` and
 * `turn.ended`.
 */
export class TurnJournal {
  private readonly lastSeq = new Map<string, number>();
  /** Turns told as started and not yet as ended. */
  private readonly running = new Set<string>();

  constructor(
    private readonly db: KonsoleDb,
    readonly bus: KonsoleBus = createKonsoleBus(),
  ) {}

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
    this.bus.publish({ type: "journal.appended", entry });
    if (payload.type === "turn") this.announce(payload.turn);
    return entry;
  }

  private announce(turn: Turn): void {
    if (turn.status === "running" && !this.running.has(turn.id)) {
      this.running.add(turn.id);
      this.bus.publish({ type: "turn.started", turnId: turn.id, sessionId: turn.sessionId, mode: turn.mode });
    } else if (isFinal(turn)) {
      this.running.delete(turn.id);
      this.bus.publish({ type: "turn.ended", turn });
    }
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

  /** Every append from now on (`journal.appended` on the bus). */
  subscribe(listener: JournalListener): () => void {
    return this.bus.on("journal.appended", (event) => listener(event.entry));
  }
}
