import type { ClaudeEvent, DashboardServerFrame, JournalEntry, ToolCall } from "@kon/protocol";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/open.ts";
import { agentSessions } from "../db/schema.ts";
import type { LiveHub } from "../live/hub.ts";
import type { PartialReplies } from "../sessions/partial-replies.ts";
import type { ToolCallStore, ToolOutcome, ToolUse } from "../sessions/tool-calls.ts";

export interface TurnStreamDeps {
  db: Db;
  toolCalls: ToolCallStore;
  partials: PartialReplies;
  hub: LiveHub;
}

type Block = Record<string, unknown>;

const blocksOf = (content: unknown): Block[] =>
  Array.isArray(content) ? content.filter((b): b is Block => typeof b === "object" && b !== null) : [];

/** A text delta of the top-level reply, if `event` is one. */
function textDelta(event: ClaudeEvent): string | undefined {
  if (event.type !== "stream_event" || event.parent_tool_use_id != null) return undefined;
  const inner = event.event as { type: string; delta?: { type?: unknown; text?: unknown } };
  if (inner.type !== "content_block_delta" || inner.delta?.type !== "text_delta") return undefined;
  return typeof inner.delta.text === "string" && inner.delta.text.length > 0 ? inner.delta.text : undefined;
}

/** The top-level model message a `message_start` stream event opens. */
function messageStart(event: ClaudeEvent): { id: string | undefined } | undefined {
  if (event.type !== "stream_event" || event.parent_tool_use_id != null) return undefined;
  const inner = event.event as { type: string; message?: { id?: unknown } };
  if (inner.type !== "message_start") return undefined;
  return { id: typeof inner.message?.id === "string" ? inner.message.id : undefined };
}

function assistantText(event: ClaudeEvent): string | undefined {
  if (event.type !== "assistant" || event.parent_tool_use_id != null) return undefined;
  const text = blocksOf(event.message.content)
    .flatMap((block) => (block.type === "text" && typeof block.text === "string" ? [block.text] : []))
    .join("");
  return text.length > 0 ? text : undefined;
}

function toolUses(event: ClaudeEvent): ToolUse[] {
  if (event.type !== "assistant") return [];
  return blocksOf(event.message.content).flatMap((block) =>
    block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string"
      ? [{ id: block.id, name: block.name, input: block.input }]
      : [],
  );
}

/** A tool_result's content as text: strings as they are, text blocks joined, anything else named. */
function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  return blocksOf(content)
    .map((block) => (block.type === "text" && typeof block.text === "string" ? block.text : `[${String(block.type)}]`))
    .join("\n");
}

function toolOutcomes(event: ClaudeEvent): ToolOutcome[] {
  if (event.type !== "user") return [];
  return blocksOf(event.message.content).flatMap((block) =>
    block.type === "tool_result" && typeof block.tool_use_id === "string"
      ? [{ toolUseId: block.tool_use_id, text: resultText(block.content), isError: block.is_error === true }]
      : [],
  );
}

/**
 * Turns the CLI lines of konsole's journal into what the dashboard sees while a turn runs:
 * `progress` pieces of the reply (kept in PartialReplies) and tool calls (stored, sent as `tool`).
 */
export class TurnStream {
  /** Prepared once: it runs for every line of every running turn. */
  private readonly owner;

  constructor(private readonly deps: TurnStreamDeps) {
    this.owner = deps.db
      .select({ agent: agentSessions.agent, userId: agentSessions.userId })
      .from(agentSessions)
      .where(eq(agentSessions.id, sql.placeholder("sessionId")))
      .prepare();
  }

  /** Applies one entry; `alsoInTransaction` commits with its writes. Frames go out after the commit. */
  observe(entry: JournalEntry, alsoInTransaction: (tx: Tx) => void): void {
    const event = entry.payload.type === "claude" && entry.payload.line.kind === "event" ? entry.payload.line.event : undefined;
    // Looked up again for every line (a primary-key read): the session may be deleted mid-turn.
    const owner = event ? this.ownerOf(entry.sessionId) : undefined;
    if (!event || !owner) {
      this.deps.db.transaction((tx) => alsoInTransaction(tx));
      return;
    }
    const calls = this.deps.db.transaction((tx) => {
      const changed: ToolCall[] = [];
      for (const use of toolUses(event)) {
        const started = this.deps.toolCalls.start(tx, entry.sessionId, entry.turnId, use);
        if (started) changed.push(started);
      }
      for (const outcome of toolOutcomes(event)) {
        const finished = this.deps.toolCalls.finish(tx, entry.turnId, outcome);
        if (finished) changed.push(finished);
      }
      alsoInTransaction(tx);
      return changed;
    });
    const audience = { userIds: [owner.userId] };
    const base = { agent: owner.agent, sessionId: entry.sessionId };
    for (const call of calls) this.deps.hub.publish({ type: "tool", ...base, call }, audience);
    const progress = this.progressOf(entry.turnId, event);
    if (progress) this.deps.hub.publish({ type: "progress", ...base, turnId: entry.turnId, ...progress }, audience);
  }

  private progressOf(turnId: string, event: ClaudeEvent): Pick<Extract<DashboardServerFrame, { type: "progress" }>, "text" | "offset"> | undefined {
    const started = messageStart(event);
    if (started) this.deps.partials.startMessage(turnId, started.id);
    const delta = textDelta(event);
    if (delta !== undefined) return this.deps.partials.appendDelta(turnId, delta);
    const text = assistantText(event);
    if (text === undefined || event.type !== "assistant") return undefined;
    return this.deps.partials.appendFallback(turnId, text, event.message.id);
  }

  private ownerOf(sessionId: string): { agent: string; userId: string } | undefined {
    return this.owner.get({ sessionId });
  }
}
