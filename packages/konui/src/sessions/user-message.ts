import { randomUUID } from "node:crypto";
import type { MessageAttachment } from "@kon/protocol";
import type { MessageRow } from "./messages.ts";
import type { AgentSessionRow } from "./store.ts";

/** The row of a message a person sends, before konsole has given it a turn. */
export function newUserMessage(
  session: Pick<AgentSessionRow, "id" | "memoryEpoch">,
  text: string,
  attachments: MessageAttachment[],
  createdAt: number,
): MessageRow {
  return {
    id: randomUUID(),
    sessionId: session.id,
    role: "user",
    text,
    attachments,
    turnId: null,
    status: "complete",
    error: null,
    costUsd: null,
    durationMs: null,
    tokens: null,
    lastCachePct: null,
    timing: null,
    model: null,
    turnStatus: null,
    recovered: false,
    memoryLost: false,
    claudeSessionId: null,
    memoryEpoch: session.memoryEpoch,
    createdAt,
  };
}
