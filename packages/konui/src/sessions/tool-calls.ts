import type { ToolCall } from "@kon/protocol";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/open.ts";
import { toolCalls } from "../db/schema.ts";
import { iso, type Clock } from "../time.ts";

export type ToolCallRow = typeof toolCalls.$inferSelect;

/** Results are kept up to this many UTF-8 bytes. */
export const TOOL_RESULT_CAP_BYTES = 64 * 1024;

export interface ToolUse {
  id: string;
  name: string;
  input: unknown;
}

export interface ToolOutcome {
  toolUseId: string;
  /** The result as text, before capping. */
  text: string;
  isError: boolean;
}

export function toToolCall(row: ToolCallRow): ToolCall {
  return {
    id: row.id,
    sessionId: row.sessionId,
    turnId: row.turnId,
    name: row.name,
    input: row.input ?? null,
    result: row.result,
    resultTruncated: row.resultTruncated,
    status: row.status,
    startedAt: iso(row.startedAt),
    finishedAt: row.finishedAt === null ? null : iso(row.finishedAt),
  };
}

/** `text` cut to at most `maxBytes` of UTF-8 without splitting a character. */
export function capUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // Back up to the start of a character (continuation bytes are 10xxxxxx).
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return { text: bytes.subarray(0, end).toString("utf8"), truncated: true };
}

/** The one owner of `tool_calls`: a call starts at its `tool_use` and ends at its `tool_result` or with its turn. */
export class ToolCallStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  /** Records a started call; undefined when it was already known (the CLI repeats a message per block). */
  start(tx: Tx, sessionId: string, turnId: string, use: ToolUse): ToolCall | undefined {
    const row: ToolCallRow = {
      id: use.id,
      sessionId,
      turnId,
      name: use.name,
      input: use.input ?? null,
      result: null,
      resultTruncated: false,
      status: "running",
      startedAt: this.now(),
      finishedAt: null,
    };
    const inserted = tx.insert(toolCalls).values(row).onConflictDoNothing().run().changes;
    return inserted > 0 ? toToolCall(row) : undefined;
  }

  /** Ends a running call of this turn with its result; undefined when there is no such running call. */
  finish(tx: Tx, turnId: string, outcome: ToolOutcome): ToolCall | undefined {
    const capped = capUtf8(outcome.text, TOOL_RESULT_CAP_BYTES);
    const row = tx
      .update(toolCalls)
      .set({
        status: outcome.isError ? "error" : "ok",
        result: capped.text,
        resultTruncated: capped.truncated,
        finishedAt: this.now(),
      })
      .where(and(eq(toolCalls.id, outcome.toolUseId), eq(toolCalls.turnId, turnId), eq(toolCalls.status, "running")))
      .returning()
      .get();
    return row ? toToolCall(row) : undefined;
  }

  /** A turn is over: calls that never got their result end as errors. */
  abandon(tx: Tx, turnId: string): ToolCall[] {
    return tx
      .update(toolCalls)
      .set({ status: "error", finishedAt: this.now() })
      .where(and(eq(toolCalls.turnId, turnId), eq(toolCalls.status, "running")))
      .returning()
      .all()
      .map(toToolCall);
  }

  ofTurns(turnIds: readonly string[]): ToolCall[] {
    if (turnIds.length === 0) return [];
    return this.db
      .select()
      .from(toolCalls)
      .where(inArray(toolCalls.turnId, [...turnIds]))
      .orderBy(asc(toolCalls.startedAt), asc(sql`rowid`))
      .all()
      .map(toToolCall);
  }
}
