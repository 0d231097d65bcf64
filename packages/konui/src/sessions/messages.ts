import type { Message, MessageAttachment } from "@kon/protocol";
import type { messages } from "../db/schema.ts";
import { iso } from "../time.ts";

export type MessageRow = typeof messages.$inferSelect;

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    sessionId: row.sessionId,
    role: row.role,
    text: row.text,
    attachments: row.attachments as MessageAttachment[],
    turnId: row.turnId,
    status: row.status,
    error: row.error as Message["error"],
    costUsd: row.costUsd,
    durationMs: row.durationMs,
    tokens: row.tokens as Message["tokens"],
    lastCachePct: row.lastCachePct,
    timing: row.timing as Message["timing"],
    model: row.model,
    recovered: row.recovered,
    memoryLost: row.memoryLost,
    claudeSessionId: row.claudeSessionId,
    createdAt: iso(row.createdAt),
  };
}
