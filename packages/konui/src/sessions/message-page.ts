import { ApiError, type MessagePage, type MessagePageQuery } from "@kon/protocol";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/open.ts";
import { messages } from "../db/schema.ts";
import { toMessage } from "./messages.ts";
import type { ToolCallStore } from "./tool-calls.ts";

/** Where a page ends: the creation time and rowid of its oldest message. */
const Position = z.tuple([z.number().int(), z.number().int()]);

const encode = (createdAt: number, rowid: number): string => Buffer.from(JSON.stringify([createdAt, rowid])).toString("base64url");

function decode(cursor: string): [number, number] {
  try {
    return Position.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ApiError("bad_request", "Invalid before: pass the olderCursor of a previous page");
  }
}

const rowid = sql<number>`${messages}.rowid`;

/** A session's messages a page at a time, newest page first, each in chronological order, with its turns' tool calls. */
export class MessagePages {
  constructor(
    private readonly db: Db,
    private readonly toolCalls: ToolCallStore,
  ) {}

  page(sessionId: string, query: MessagePageQuery): MessagePage {
    const before = query.before === undefined ? undefined : decode(query.before);
    const older = before
      ? or(lt(messages.createdAt, before[0]), and(eq(messages.createdAt, before[0]), lt(rowid, before[1])))
      : undefined;
    const rows = this.db
      .select({ row: messages, rowid })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), older))
      .orderBy(desc(messages.createdAt), desc(rowid))
      .limit(query.limit + 1)
      .all();
    const page = rows.slice(0, query.limit).reverse();
    const oldest = page[0];
    const turnIds = [...new Set(page.flatMap(({ row }) => (row.turnId === null ? [] : [row.turnId])))];
    return {
      messages: page.map(({ row }) => toMessage(row)),
      toolCalls: this.toolCalls.ofTurns(turnIds),
      olderCursor: rows.length > query.limit && oldest ? encode(oldest.row.createdAt, oldest.rowid) : null,
    };
  }
}
