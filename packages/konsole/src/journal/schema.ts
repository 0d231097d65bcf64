import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  claudeSessionId: text("claude_session_id"),
  cwd: text("cwd").notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const turns = sqliteTable(
  "turns",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    userId: text("user_id").notNull(),
    requestId: text("request_id"),
    mode: text("mode", { enum: ["cold", "hot"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed"] }).notNull(),
    reply: text("reply"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    recovered: integer("recovered", { mode: "boolean" }).notNull().default(false),
    memoryLost: integer("memory_lost", { mode: "boolean" }).notNull().default(false),
    claudeSessionId: text("claude_session_id"),
    /** The cwd the turn's process ran in, so a restart can find its transcript. */
    cwd: text("cwd"),
    pid: integer("pid"),
    /** konsole's id of the turn's process, tagged into its environment (see process-tag.ts). */
    processId: text("process_id"),
    processTokenId: text("process_token_id"),
    /** The turn's figures as JSON (TurnFigures). */
    figures: text("figures", { mode: "json" }),
    createdAt: text("created_at").notNull(),
    startedAt: text("started_at"),
    finishedAt: text("finished_at"),
  },
  (table) => [index("turns_session_idx").on(table.sessionId, table.createdAt), index("turns_status_idx").on(table.status)],
);

export const journalEntries = sqliteTable(
  "journal_entries",
  {
    cursor: integer("cursor").primaryKey({ autoIncrement: true }),
    turnId: text("turn_id").notNull(),
    sessionId: text("session_id").notNull(),
    seq: integer("seq").notNull(),
    at: text("at").notNull(),
    /** JournalPayload as JSON. */
    payload: text("payload").notNull(),
  },
  (table) => [
    uniqueIndex("journal_turn_seq_idx").on(table.turnId, table.seq),
    index("journal_session_cursor_idx").on(table.sessionId, table.cursor),
  ],
);

/** The last running total the CLI reported per conversation, to derive a turn's own cost. */
export const conversationCosts = sqliteTable("conversation_costs", {
  claudeSessionId: text("claude_session_id").primaryKey(),
  totalCostUsd: real("total_cost_usd").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/**
 * Process tokens konsole was granted and has not revoked yet (pool, hot and cold alike), so a
 * konsole killed before it could revoke them revokes them at its next start.
 */
export const heldProcessTokens = sqliteTable("held_process_tokens", {
  tokenId: text("token_id").primaryKey(),
  processId: text("process_id").notNull(),
  expiresAt: text("expires_at").notNull(),
  createdAt: text("created_at").notNull(),
});
