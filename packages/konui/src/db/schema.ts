import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Times are epoch milliseconds; the API turns them into ISO strings.

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["admin", "user"] }).notNull(),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** One row per issued human access token, so logins can be counted and revoked. */
export const logins = sqliteTable(
  "logins",
  {
    jti: text("jti").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuedAt: integer("issued_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("logins_expires_at").on(t.expiresAt)],
);

export const processTokens = sqliteTable(
  "process_tokens",
  {
    id: text("id").primaryKey(),
    /** sha256 of the token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    /** Null while a pool token is unbound; set with `userId` and `boundAt`, once. */
    sessionId: text("session_id"),
    userId: text("user_id"),
    processId: text("process_id").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** When the token was tied to its session: at issue, or when a pool token was bound. */
    boundAt: integer("bound_at"),
  },
  (t) => [
    index("process_tokens_expires_at").on(t.expiresAt),
    index("process_tokens_session").on(t.sessionId),
    check(
      "process_tokens_bound_together",
      sql`(bound_at is null) = (session_id is null) and (bound_at is null) = (user_id is null)`,
    ),
  ],
);

export const kontasks = sqliteTable(
  "kontasks",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    status: text("status").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    context: text("context", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    scope: text("scope"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    targetUser: text("target_user"),
    createdBy: text("created_by").notNull(),
    /** The user a kontask belongs to (the creator, or the user of the creating process). */
    ownerUserId: text("owner_user_id").notNull(),
    sessionId: text("session_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("kontasks_created").on(t.createdAt, t.id),
    index("kontasks_owner").on(t.ownerUserId),
    index("kontasks_session").on(t.sessionId),
  ],
);

export const agentSessions = sqliteTable(
  "agent_sessions",
  {
    id: text("id").primaryKey(),
    agent: text("agent").notNull(),
    userId: text("user_id").notNull(),
    title: text("title"),
    claudeSessionId: text("claude_session_id"),
    /** Counts memory resets, so an outcome of a turn sent before one cannot undo it. */
    memoryEpoch: integer("memory_epoch").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("agent_sessions_agent_user").on(t.agent, t.userId)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => agentSessions.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["user", "assistant"] }).notNull(),
    text: text("text").notNull(),
    attachments: text("attachments", { mode: "json" }).$type<unknown[]>().notNull(),
    turnId: text("turn_id"),
    status: text("status", { enum: ["complete", "pending", "failed"] }).notNull(),
    error: text("error", { mode: "json" }).$type<{ code: string; message: string } | null>(),
    costUsd: real("cost_usd"),
    durationMs: real("duration_ms"),
    tokens: text("tokens", { mode: "json" }).$type<Record<string, number> | null>(),
    lastCachePct: real("last_cache_pct"),
    /** Assistant messages: where the turn's time went (TurnTiming). */
    timing: text("timing", { mode: "json" }).$type<Record<string, number | null> | null>(),
    model: text("model"),
    /** User messages: the latest status of the turn they started, as the TurnRecorder last heard it. */
    turnStatus: text("turn_status", { enum: ["queued", "running", "succeeded", "failed"] }),
    recovered: integer("recovered", { mode: "boolean" }).notNull().default(false),
    memoryLost: integer("memory_lost", { mode: "boolean" }).notNull().default(false),
    claudeSessionId: text("claude_session_id"),
    /** The session's memory epoch when the turn was sent. */
    memoryEpoch: integer("memory_epoch").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("messages_session").on(t.sessionId, t.createdAt),
    uniqueIndex("messages_turn_role").on(t.turnId, t.role),
    index("messages_open_turns")
      .on(t.sessionId, t.turnStatus)
      .where(sql`turn_status in ('queued', 'running')`),
  ],
);

/** One row per tool call of a turn, from its `tool_use` block to its `tool_result`; owned by ToolCallStore. */
export const toolCalls = sqliteTable(
  "tool_calls",
  {
    /** The CLI's `tool_use` id. */
    id: text("id").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => agentSessions.id, { onDelete: "cascade" }),
    turnId: text("turn_id").notNull(),
    name: text("name").notNull(),
    input: text("input", { mode: "json" }).$type<unknown>(),
    result: text("result"),
    resultTruncated: integer("result_truncated", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: ["running", "ok", "error"] }).notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("tool_calls_turn").on(t.turnId, t.startedAt)],
);

/**
 * Browser refresh tokens (the `kon_refresh` cookie), owned by RefreshTokens. Each refresh
 * rotates the token within its family; a rotated token shown again revokes the family.
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    /** sha256 of the token; the token itself is never stored. */
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The access token issued with this one, so a password change can spare the caller's own login. */
    accessJti: text("access_jti").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** Set when the token was exchanged for its successor; it is never valid again. */
    rotatedAt: integer("rotated_at"),
  },
  (t) => [
    index("refresh_tokens_family").on(t.familyId),
    index("refresh_tokens_user").on(t.userId),
    index("refresh_tokens_expires_at").on(t.expiresAt),
  ],
);

export const guardrails = sqliteTable("guardrails", {
  agent: text("agent").primaryKey(),
  maxTurnsTask: integer("max_turns_task").notNull(),
  maxTurnsChat: integer("max_turns_chat").notNull(),
  executionTimeoutSec: integer("execution_timeout_sec").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Dollar limits by budget name ("turn", "session", "user_day", "user_month", "agent_day"); no row = off. */
export const budgets = sqliteTable("budgets", {
  name: text("name").primaryKey(),
  limitUsd: real("limit_usd").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * The spending ledger: what each finished turn cost, written once with its outcome. Not tied to
 * the session or user by a foreign key: deleting either keeps what was spent, for usage and budgets.
 */
export const spending = sqliteTable(
  "spending",
  {
    turnId: text("turn_id").primaryKey(),
    sessionId: text("session_id").notNull(),
    userId: text("user_id").notNull(),
    agent: text("agent").notNull(),
    costUsd: real("cost_usd").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    cacheReadTokens: integer("cache_read_tokens").notNull(),
    cacheCreationTokens: integer("cache_creation_tokens").notNull(),
    model: text("model"),
    billing: text("billing", { enum: ["api", "subscription", "unknown"] }).notNull(),
    recordedAt: integer("recorded_at").notNull(),
  },
  (t) => [
    index("spending_recorded_at").on(t.recordedAt),
    index("spending_user_recorded_at").on(t.userId, t.recordedAt),
    index("spending_agent_recorded_at").on(t.agent, t.recordedAt),
    index("spending_session").on(t.sessionId),
  ],
);

/** `agent` is "*" for the global value. */
export const featureFlags = sqliteTable(
  "feature_flags",
  {
    name: text("name").notNull(),
    agent: text("agent").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.agent] })],
);

/** Where the konsole event consumer resumes. */
export const consumerState = sqliteTable("consumer_state", {
  id: text("id").primaryKey(),
  cursor: integer("cursor").notNull(),
});

/**
 * Login failures per key (`user:<name>` or `addr:<ip>`), kept across restarts. `pending` counts
 * attempts whose password is being checked right now, so a burst cannot outrun the count.
 */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  pending: integer("pending").notNull().default(0),
  lastAt: integer("last_at").notNull(),
  blockedUntil: integer("blocked_until").notNull().default(0),
});

/**
 * Every question an agent asked a person (a tool approval, an AskUserQuestion), owned by
 * DecisionStore. A pending one is settled exactly once, by a conditional update.
 */
export const decisions = sqliteTable(
  "decisions",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["tool", "question"] }).notNull(),
    status: text("status", { enum: ["pending", "allowed", "denied", "expired", "cancelled"] }).notNull(),
    agent: text("agent").notNull(),
    sessionId: text("session_id")
      .notNull()
      .references(() => agentSessions.id, { onDelete: "cascade" }),
    turnId: text("turn_id").notNull(),
    /** The session's owner. */
    userId: text("user_id").notNull(),
    /** The CLI's request_id, which konsole's answer route names. */
    requestId: text("request_id").notNull(),
    toolName: text("tool_name").notNull(),
    toolUseId: text("tool_use_id"),
    input: text("input", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The CLI's permission_suggestions, for "always allow". */
    suggestions: text("suggestions", { mode: "json" }).$type<unknown[]>().notNull(),
    reason: text("reason"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    answeredAt: integer("answered_at"),
    decidedBy: text("decided_by", { enum: ["person", "policy", "timeout", "system"] }),
    answeredByUserId: text("answered_by_user_id"),
    answeredByUsername: text("answered_by_username"),
    answer: text("answer", { mode: "json" }).$type<Record<string, unknown>>(),
    /** Allow rules an "always allow" granted; later turns of the session send them to konsole. */
    grantedRules: text("granted_rules", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  },
  (t) => [
    uniqueIndex("decisions_turn_request").on(t.turnId, t.requestId),
    index("decisions_created").on(t.createdAt, t.id),
    index("decisions_pending").on(t.status, t.expiresAt),
    index("decisions_session").on(t.sessionId, t.createdAt),
  ],
);

/** Each agent's tool permission policy, owned by PolicyStore; an agent without a row runs on the defaults. */
export const agentPolicies = sqliteTable("agent_policies", {
  agent: text("agent").primaryKey(),
  allow: text("allow", { mode: "json" }).$type<string[]>().notNull(),
  deny: text("deny", { mode: "json" }).$type<string[]>().notNull(),
  approvers: text("approvers", { mode: "json" }).$type<string[]>().notNull(),
  timeoutSec: integer("timeout_sec").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
