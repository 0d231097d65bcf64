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
    /** What the turn ran under as JSON (TurnLimits): its cap, timeout and budget, for whoever closes it. */
    limits: text("limits", { mode: "json" }),
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

// ---- The host observer (src/observer/): every Claude transcript under the observed roots ----

/** How far each transcript file has been read, and what identifies the file that was read. */
export const observerFiles = sqliteTable("observer_files", {
  path: text("path").primaryKey(),
  projectDir: text("project_dir").notNull(),
  inode: integer("inode").notNull(),
  /** Bytes read up to the end of the last complete line. */
  offset: integer("offset").notNull(),
  /** `length:whole:sha1` of the file's first line (up to 1 KiB): a different file if it changes. */
  head: text("head").notNull(),
  lines: integer("lines").notNull(),
  malformed: integer("malformed").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** One row per API message (`message.id` + request id), the largest usage seen for it. */
export const observerMessages = sqliteTable(
  "observer_messages",
  {
    key: text("key").primaryKey(),
    sessionId: text("session_id").notNull(),
    projectDir: text("project_dir").notNull(),
    filePath: text("file_path").notNull(),
    /** ISO instant, UTC. */
    at: text("at").notNull(),
    model: text("model").notNull(),
    input: integer("input").notNull(),
    output: integer("output").notNull(),
    cacheRead: integer("cache_read").notNull(),
    cacheWrite5m: integer("cache_write_5m").notNull(),
    cacheWrite1h: integer("cache_write_1h").notNull(),
    /** Null when the model is not in the price table. */
    costUsd: real("cost_usd"),
    sidechain: integer("sidechain", { mode: "boolean" }).notNull(),
  },
  (table) => [
    index("observer_messages_session_idx").on(table.sessionId, table.at),
    // No index on file_path: only forgetting a truncated or replaced file reads by it, and that is rare.
    index("observer_messages_at_idx").on(table.at),
  ],
);

/** One row per tool call (by tool_use id); `target` is the path an editing tool changed. */
export const observerToolUses = sqliteTable(
  "observer_tool_uses",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    filePath: text("file_path").notNull(),
    name: text("name").notNull(),
    target: text("target"),
  },
  (table) => [index("observer_tool_uses_session_idx").on(table.sessionId)],
);

/** A Claude session as its transcripts tell it; the usage columns are derived from observer_messages. */
export const observerSessions = sqliteTable(
  "observer_sessions",
  {
    id: text("id").primaryKey(),
    projectDir: text("project_dir").notNull(),
    cwd: text("cwd"),
    gitBranch: text("git_branch"),
    summary: text("summary"),
    firstPrompt: text("first_prompt"),
    firstAt: text("first_at"),
    lastAt: text("last_at"),
    /** Derived aggregates as JSON: models, usage, sidechain usage, tool calls, files changed count. */
    figures: text("figures", { mode: "json" }),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [index("observer_sessions_last_idx").on(table.lastAt), index("observer_sessions_project_idx").on(table.projectDir)],
);
