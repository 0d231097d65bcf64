import { z } from "zod";
import { Decision } from "./decisions.ts";
import { ErrorBody } from "./errors.ts";
import { BudgetName, DEFAULT_MAX_TURNS, MaxTurns, SessionId, TokenCounts, TurnError, TurnId, TurnStatus } from "./konsole.ts";
import { ObserverEvent } from "./observer.ts";

// The konui API: what browsers, curl users, Claude processes and konsole send to the gateway.

// ---- process tokens (konsole → konui, service token required) ----

/** `POST /internal/process-tokens/:tokenId/bind`: binds a pool token to the session that claimed its process, once. */
export const BindProcessTokenRequest = z.object({
  sessionId: SessionId,
  userId: z.string().min(1),
});
export type BindProcessTokenRequest = z.infer<typeof BindProcessTokenRequest>;

/**
 * `POST /internal/process-tokens/pool`: a token for a pre-warmed process that has no session
 * yet. It grants nothing until it is bound; konui refuses every request made with it before.
 */
export const IssuePoolProcessTokenRequest = z.object({
  /** konsole's id for the process the token is bound to. */
  processId: z.string().min(1).max(128),
  ttlSec: z.number().int().min(30).max(86_400).optional(),
});
export type IssuePoolProcessTokenRequest = z.infer<typeof IssuePoolProcessTokenRequest>;

/** konsole asks for a token before it spawns a process (service token required). */
export const IssueProcessTokenRequest = BindProcessTokenRequest.extend(IssuePoolProcessTokenRequest.shape);
export type IssueProcessTokenRequest = z.infer<typeof IssueProcessTokenRequest>;

/** What a process token lets its holder do; nothing else is reachable with it. */
export const ProcessScope = z.enum(["kontasks:write", "session:read"]);
export type ProcessScope = z.infer<typeof ProcessScope>;
export const PROCESS_TOKEN_SCOPES: readonly ProcessScope[] = ProcessScope.options;

export const ProcessToken = z.object({
  tokenId: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  scopes: z.array(z.string()),
});
export type ProcessToken = z.infer<typeof ProcessToken>;

// ---- people ----

export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, "2-64 characters: lowercase letters, digits, '.', '_' and '-'");
export const Password = z.string().min(8, "at least 8 characters").max(1024);

export const Role = z.enum(["admin", "user"]);
export type Role = z.infer<typeof Role>;

/** `POST /api/token`, as JSON or as form fields. */
export const TokenRequest = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int().positive(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/**
 * Browser logins: `POST /api/auth/login` (a TokenRequest) and `POST /api/auth/refresh` answer a
 * TokenResponse and set this httpOnly, SameSite=Strict cookie (path /api/auth), which rotates on
 * every refresh; `POST /api/auth/logout` revokes it. The access token stays in the page's memory.
 */
export const REFRESH_COOKIE = "kon_refresh";

/**
 * Set (to "1", readable by the page, path /) beside the refresh cookie and cleared with it: it
 * holds no secret, it only tells the page a refresh is worth trying, so a visitor who never
 * logged in is not answered 401 on every page load.
 */
export const LOGIN_HINT_COOKIE = "kon_login";

export const User = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof User>;

export const CreateUserRequest = z.object({ username: Username, password: Password, role: Role.default("user") });
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .object({ disabled: z.boolean().optional(), role: Role.optional(), password: Password.optional() })
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserList = z.object({ users: z.array(User) });
export type UserList = z.infer<typeof UserList>;

/** Who the bearer of a token is (`GET /api/me`). */
export const Whoami = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), user: User }),
  z.object({
    kind: z.literal("process"),
    tokenId: z.string(),
    sessionId: SessionId,
    userId: z.string(),
    processId: z.string(),
    scopes: z.array(z.string()),
  }),
]);
export type Whoami = z.infer<typeof Whoami>;

export const SessionStats = z.object({
  /** Live (unexpired) process tokens bound to a session: one per Claude process serving one. */
  claudeSessions: z.number().int().nonnegative(),
  /** Live process tokens of pre-warmed pool processes no session has claimed yet (not in `claudeSessions`). */
  poolTokens: z.number().int().nonnegative(),
  /** Live (unexpired, not logged out) human access tokens. */
  humanSessions: z.number().int().nonnegative(),
  summary: z.string(),
});
export type SessionStats = z.infer<typeof SessionStats>;

// ---- kontasks ----

export const KontaskStatus = z.enum(["pending", "in_progress", "awaiting_input", "completed", "failed", "cancelled"]);
export type KontaskStatus = z.infer<typeof KontaskStatus>;

export const KontaskChoice = z.object({
  label: z.string().min(1).max(200),
  value: z.string().min(1).max(10_000),
  primary: z.boolean().default(false),
});
export type KontaskChoice = z.infer<typeof KontaskChoice>;

export const KontaskTurnTiming = z.looseObject({
  totalMs: z.number().nonnegative().optional(),
  ttfeMs: z.number().nonnegative().nullish(),
  thinkingMs: z.number().nonnegative().optional(),
  toolExecutionMs: z.number().nonnegative().optional(),
  toolCallCount: z.number().int().nonnegative().optional(),
});
export type KontaskTurnTiming = z.infer<typeof KontaskTurnTiming>;

/**
 * `output` is HTML stored exactly as given. It is never served as a live page: whoever renders
 * it must sanitize it first.
 */
export const KontaskContext = z.looseObject({
  output: z.string().max(2_000_000).optional(),
  choices: z.array(KontaskChoice).max(20).optional(),
  turnTiming: KontaskTurnTiming.optional(),
  requestId: z.string().max(200).optional(),
});
export type KontaskContext = z.infer<typeof KontaskContext>;

const Tag = z.string().min(1).max(64);

export const Kontask = z.object({
  id: z.string(),
  type: z.string(),
  status: KontaskStatus,
  title: z.string(),
  description: z.string().nullable(),
  context: KontaskContext,
  scope: z.string().nullable(),
  tags: z.array(z.string()),
  targetUser: z.string().nullable(),
  /** `claude` when a process created it, otherwise the username. */
  createdBy: z.string(),
  sessionId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Kontask = z.infer<typeof Kontask>;

export const CreateKontaskRequest = z.object({
  type: z.string().min(1).max(64).default("task"),
  status: KontaskStatus.default("pending"),
  title: z.string().min(1).max(500),
  description: z.string().max(100_000).optional(),
  context: KontaskContext.default({}),
  scope: z.string().min(1).max(64).optional(),
  tags: z.array(Tag).max(32).default([]),
  targetUser: z.string().min(1).max(64).optional(),
  /** The agent session it belongs to; a process token's own session is used when omitted. */
  sessionId: SessionId.optional(),
});
export type CreateKontaskRequest = z.input<typeof CreateKontaskRequest>;

export const UpdateKontaskRequest = z
  .object({
    status: KontaskStatus.optional(),
    title: z.string().min(1).max(500).optional(),
    description: z.string().max(100_000).nullable().optional(),
    /** Merged key by key into the stored context. */
    context: KontaskContext.optional(),
    scope: z.string().min(1).max(64).nullable().optional(),
    tags: z.array(Tag).max(32).optional(),
    targetUser: z.string().min(1).max(64).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateKontaskRequest = z.infer<typeof UpdateKontaskRequest>;

const pageLimitRule = "an integer from 1 to 200";
const pageLimit = z.coerce.number({ error: pageLimitRule }).int(pageLimitRule).min(1, pageLimitRule).max(200, pageLimitRule);

export const KontaskListQuery = z.object({
  status: KontaskStatus.optional(),
  type: z.string().min(1).optional(),
  scope: z.string().min(1).optional(),
  tag: z.string().min(1).optional(),
  session: z.string().min(1).optional(),
  createdBy: z.string().min(1).optional(),
  /** ISO date or date-time: only kontasks created at or after it. */
  since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: "an ISO date (2026-01-31) or date-time (2026-01-31T12:00:00Z)",
    })
    .optional(),
  limit: pageLimit.default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type KontaskListQuery = z.infer<typeof KontaskListQuery>;

export const KontaskPage = z.object({ kontasks: z.array(Kontask), nextCursor: z.string().nullable() });
export type KontaskPage = z.infer<typeof KontaskPage>;

export const ChooseKontaskRequest = z.object({ value: z.string().min(1).max(10_000) });
export type ChooseKontaskRequest = z.infer<typeof ChooseKontaskRequest>;

// ---- agent sessions and messages ----

export const AgentName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "1-64 lowercase letters, digits, '-' or '_'");

/** idle: nothing waiting; queued: a turn waits for its lane or a process slot; running: a turn is in progress. */
export const AgentSessionState = z.enum(["idle", "queued", "running"]);
export type AgentSessionState = z.infer<typeof AgentSessionState>;

/** The tightest budget a session's next turn would run under: what is left of it. */
export const BudgetLeft = z.object({
  name: BudgetName,
  limitUsd: z.number().positive(),
  spentUsd: z.number().nonnegative(),
  /** limit − spent, never below 0 (0: the next turn is refused). */
  remainingUsd: z.number().nonnegative(),
});
export type BudgetLeft = z.infer<typeof BudgetLeft>;

export const AgentSession = z.object({
  id: SessionId,
  agent: z.string(),
  userId: z.string(),
  title: z.string().nullable(),
  state: AgentSessionState,
  /** The turn queued or running now, if any. */
  activeTurnId: TurnId.nullable(),
  /** True while a live claude process holds the conversation (the next turn starts at once); null when konsole could not be asked. */
  hot: z.boolean().nullable(),
  /** The last message sent or received (the creation time of an empty session). */
  lastActivityAt: z.string(),
  /** The Claude conversation the next turn resumes; null after a reset. */
  claudeSessionId: z.string().nullable(),
  totalCostUsd: z.number().nonnegative(),
  messageCount: z.number().int().nonnegative(),
  /** What is left of the tightest budget for the session's next turn; null when no budget is set. */
  budget: BudgetLeft.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgentSession = z.infer<typeof AgentSession>;

export const CreateAgentSessionRequest = z.object({ title: z.string().min(1).max(200).optional() });
export type CreateAgentSessionRequest = z.infer<typeof CreateAgentSessionRequest>;

/** `POST /api/host/sessions/:id/adopt`: a new agent session that continues a host session. */
export const AdoptHostSessionRequest = z
  .object({ agent: AgentName.default("claude"), title: z.string().min(1).max(200).optional() })
  .strict();
export type AdoptHostSessionRequest = z.input<typeof AdoptHostSessionRequest>;

/** `PATCH /api/agents/:name/sessions/:id`: rename (null clears the title). */
export const UpdateAgentSessionRequest = z.object({ title: z.string().trim().min(1).max(200).nullable() });
export type UpdateAgentSessionRequest = z.infer<typeof UpdateAgentSessionRequest>;

export const MessageAttachment = z.object({
  kind: z.enum(["image", "file"]),
  /** The sender's file name, cleaned; never used as a path. */
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  /**
   * Where the agent finds a text file, relative to its working directory: `uploads/<generated
   * name>` (konui keeps its own copy under the same name); null for images.
   */
  path: z.string().nullable(),
});
export type MessageAttachment = z.infer<typeof MessageAttachment>;

export const MessageStatus = z.enum(["complete", "pending", "failed"]);
export type MessageStatus = z.infer<typeof MessageStatus>;

/** Where a turn's time went, as konsole measured it: the bar under an assistant message or a kontask. */
export const TurnTiming = z.object({
  totalMs: z.number().nonnegative(),
  /** Prompt written → first model output; null when the model never answered. */
  ttfeMs: z.number().nonnegative().nullable(),
  /** Time the model spent after its first output (thinking and writing); the three parts add up to about `totalMs`. */
  thinkingMs: z.number().nonnegative(),
  toolExecutionMs: z.number().nonnegative(),
  toolCallCount: z.number().int().nonnegative(),
});
export type TurnTiming = z.infer<typeof TurnTiming>;

export const Message = z.object({
  id: z.string(),
  sessionId: SessionId,
  role: z.enum(["user", "assistant"]),
  text: z.string(),
  attachments: z.array(MessageAttachment),
  turnId: TurnId.nullable(),
  status: MessageStatus,
  error: TurnError.nullable(),
  costUsd: z.number().nonnegative().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  tokens: TokenCounts.nullable(),
  /** Last cache as a percentage of the model's context window. */
  lastCachePct: z.number().nonnegative().nullable(),
  /** Set on assistant messages of finished turns. */
  timing: TurnTiming.nullable(),
  model: z.string().nullable(),
  recovered: z.boolean(),
  memoryLost: z.boolean(),
  claudeSessionId: z.string().nullable(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

export const ToolCallStatus = z.enum(["running", "ok", "error"]);
export type ToolCallStatus = z.infer<typeof ToolCallStatus>;

/** One tool call of a turn, from the CLI's `tool_use` block to its `tool_result`. */
export const ToolCall = z.object({
  /** The CLI's `tool_use` id. */
  id: z.string(),
  sessionId: SessionId,
  turnId: TurnId,
  name: z.string(),
  input: z.unknown(),
  /** The result as text (capped at 64 KB); null while it runs. */
  result: z.string().nullable(),
  resultTruncated: z.boolean(),
  status: ToolCallStatus,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ToolCall = z.infer<typeof ToolCall>;

/** `GET /api/agents/:name/sessions/:id/messages?before=&limit=`: the newest page first, in chronological order. */
export const MessagePageQuery = z.object({
  /** `olderCursor` of the page before: only messages older than it. */
  before: z.string().min(1).max(200).optional(),
  limit: pageLimit.default(50),
});
export type MessagePageQuery = z.infer<typeof MessagePageQuery>;

export const MessagePage = z.object({
  messages: z.array(Message),
  /** The tool calls of the turns on this page. */
  toolCalls: z.array(ToolCall),
  /** Pass as `before` for the next older page; null at the first message. */
  olderCursor: z.string().nullable(),
});
export type MessagePage = z.infer<typeof MessagePage>;

export const AgentSessionWithMessages = AgentSession.extend({ messages: z.array(Message) });
export type AgentSessionWithMessages = z.infer<typeof AgentSessionWithMessages>;

export const AgentSessionList = z.object({ sessions: z.array(AgentSession) });
export type AgentSessionList = z.infer<typeof AgentSessionList>;

/** `task` turns run under `max_turns_task`, `chat` turns under `max_turns_chat`. */
export const TurnKind = z.enum(["task", "chat"]);
export type TurnKind = z.infer<typeof TurnKind>;

/** JSON body of a send; multipart sends carry the same fields plus up to 3 `files`. */
export const SendMessageRequest = z.object({
  text: z.string().max(200_000).default(""),
  kind: TurnKind.default("task"),
});
export type SendMessageRequest = z.input<typeof SendMessageRequest>;

/** `?async=true`: answer 202 at once; the reply arrives on `/api/live` and by turn id. */
export const SendMessageQuery = z.object({
  async: z.enum(["true", "false"], { error: "true or false" }).default("false"),
});
export type SendMessageQuery = z.infer<typeof SendMessageQuery>;

export const AgentTurn = z.object({
  id: TurnId,
  sessionId: SessionId,
  status: TurnStatus,
  userMessage: Message,
  /** Set once the turn is over. */
  assistantMessage: Message.nullable(),
  /** The reply as produced so far while the turn runs (empty once it is over or before it starts). */
  partialText: z.string(),
  /** Position in the session's queue while queued (1 = next), else null. */
  queuePosition: z.number().int().positive().nullable(),
});
export type AgentTurn = z.infer<typeof AgentTurn>;

/** The answer of the asynchronous send (`?async=true`, 202). */
export const SendMessageAccepted = z.object({ turnId: TurnId, userMessage: Message, queuePosition: z.number().int() });
export type SendMessageAccepted = z.infer<typeof SendMessageAccepted>;

/** The answer of the synchronous send (200): the assistant message, which may be `failed`. */
export const SendMessageResult = z.object({ turnId: TurnId, userMessage: Message, message: Message });
export type SendMessageResult = z.infer<typeof SendMessageResult>;

// ---- usage ----

/** `GET /api/usage`: a user sees their own turns, an admin everyone's. Days are UTC. */
export const UsageQuery = z.object({
  since: z.iso.date({ error: "an ISO date (2026-01-31)" }).optional(),
  until: z.iso.date({ error: "an ISO date (2026-01-31)" }).optional(),
});
export type UsageQuery = z.infer<typeof UsageQuery>;

/** What the turns were billed on: an API key (or gateway, cloud), a subscription login, or not known. */
export const Billing = z.enum(["api", "subscription", "unknown"]);
export type Billing = z.infer<typeof Billing>;

export const UsageRow = z.object({
  /** UTC day, YYYY-MM-DD. */
  day: z.string(),
  userId: z.string(),
  /** null once the user is deleted: the spending stays. */
  username: z.string().nullable(),
  agent: z.string(),
  billing: Billing,
  turns: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  tokens: TokenCounts,
});
export type UsageRow = z.infer<typeof UsageRow>;

export const UsageReport = z.object({ since: z.string(), until: z.string(), rows: z.array(UsageRow) });
export type UsageReport = z.infer<typeof UsageReport>;

// ---- budgets ----

const BudgetUsd = z.number().positive().max(1_000_000).nullable();

/** Dollar limits, each null when off (the default): per turn, per session, per user per UTC day and month, per agent per UTC day. */
export const Budgets = z.object({
  turn_usd: BudgetUsd,
  session_usd: BudgetUsd,
  user_day_usd: BudgetUsd,
  user_month_usd: BudgetUsd,
  agent_day_usd: BudgetUsd,
});
export type Budgets = z.infer<typeof Budgets>;

export const DEFAULT_BUDGETS: Budgets = { turn_usd: null, session_usd: null, user_day_usd: null, user_month_usd: null, agent_day_usd: null };

/** `PUT /api/budgets` (admin): the limits to change; null turns one off. */
export const UpdateBudgetsRequest = Budgets.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateBudgetsRequest = z.infer<typeof UpdateBudgetsRequest>;

/** `POST /api/agents/:name/sessions/:id/turns/:turnId/continue`: resume a turn that hit its turn limit for N more turns. */
export const ContinueTurnRequest = z.object({ maxTurns: MaxTurns });
export type ContinueTurnRequest = z.infer<typeof ContinueTurnRequest>;

// ---- guardrails and flags ----

export const Guardrails = z.object({
  max_turns_task: MaxTurns,
  max_turns_chat: MaxTurns,
  execution_timeout_sec: z.number().int().min(1).max(86_400),
});
export type Guardrails = z.infer<typeof Guardrails>;

export const DEFAULT_GUARDRAILS: Guardrails = { max_turns_task: DEFAULT_MAX_TURNS, max_turns_chat: 20, execution_timeout_sec: 900 };

export const UpdateGuardrailsRequest = Guardrails.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateGuardrailsRequest = z.infer<typeof UpdateGuardrailsRequest>;

export const FeatureFlagName = z.enum(["session_tab_enabled"]);
export type FeatureFlagName = z.infer<typeof FeatureFlagName>;

export const FeatureFlag = z.object({
  name: FeatureFlagName,
  /** null = the global value; an agent's own value wins over it. */
  agent: z.string().nullable(),
  enabled: z.boolean(),
});
export type FeatureFlag = z.infer<typeof FeatureFlag>;

export const FeatureFlagList = z.object({ flags: z.array(FeatureFlag) });
export type FeatureFlagList = z.infer<typeof FeatureFlagList>;

export const SetFeatureFlagRequest = z.object({ enabled: z.boolean(), agent: AgentName.optional() });
export type SetFeatureFlagRequest = z.infer<typeof SetFeatureFlagRequest>;

// ---- inbox ----

/** What waits for the person: pending decisions they may answer and kontasks awaiting their input. */
export const InboxItem = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("decision"), at: z.string(), decision: Decision }),
  z.object({ kind: z.literal("kontask"), at: z.string(), kontask: Kontask }),
]);
export type InboxItem = z.infer<typeof InboxItem>;

/** `GET /api/inbox`, newest first. */
export const Inbox = z.object({ items: z.array(InboxItem), count: z.number().int().nonnegative() });
export type Inbox = z.infer<typeof Inbox>;

// ---- dashboard WebSocket /api/live ----

/**
 * Close codes of `/api/live` besides the standard ones. After 4001-4004 the client must log in
 * again; after 4005 it may reconnect with the same token (it then sees what its new role allows);
 * after 4008 it read too slowly (its unsent frames passed the cap): reconnect and read back.
 */
export const DashboardCloseCode = {
  token_expired: 4001,
  logged_out: 4002,
  user_disabled: 4003,
  token_revoked: 4004,
  role_changed: 4005,
  too_slow: 4008,
} as const;
export type DashboardCloseReason = keyof typeof DashboardCloseCode;

/** Sub-protocol a browser offers with its token, `new WebSocket(url, ["bearer", token])`; the server selects `bearer`. */
export const DASHBOARD_BEARER_PROTOCOL = "bearer";

export const DashboardClientFrame = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") })]);
export type DashboardClientFrame = z.infer<typeof DashboardClientFrame>;

export const DashboardServerFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), user: User }),
  /** A message landed (the user's when sent, the assistant's when its turn is over). */
  z.object({ type: z.literal("message"), agent: z.string(), sessionId: SessionId, message: Message }),
  z.object({
    type: z.literal("turn"),
    agent: z.string(),
    sessionId: SessionId,
    turnId: TurnId,
    status: TurnStatus,
  }),
  /**
   * The next piece of assistant text while a turn runs; not stored (the final message is).
   * `offset` is the length of the reply before this piece: a client whose text is shorter
   * missed a piece and reads the turn back (`partialText`).
   */
  z.object({
    type: z.literal("progress"),
    agent: z.string(),
    sessionId: SessionId,
    turnId: TurnId,
    text: z.string(),
    offset: z.number().int().nonnegative(),
  }),
  /** A tool call started (status running) or finished (ok or error). */
  z.object({ type: z.literal("tool"), agent: z.string(), sessionId: SessionId, call: ToolCall }),
  /** A session was created, renamed or changed state, or deleted (then only its id counts). */
  z.object({ type: z.literal("session"), action: z.enum(["created", "updated", "deleted"]), session: AgentSession }),
  z.object({ type: z.literal("kontask"), action: z.enum(["created", "updated", "deleted"]), kontask: Kontask }),
  /** A decision was asked or settled: sent to everyone who may answer it. */
  z.object({ type: z.literal("decision"), action: z.enum(["created", "updated"]), decision: Decision }),
  /** The host observer saw a session change (or, for `sessions`, many: read the list again). */
  z.object({ type: z.literal("host"), event: ObserverEvent }),
  z.object({ type: z.literal("pong") }),
  z.object({ type: z.literal("error"), error: ErrorBody.shape.error }),
]);
export type DashboardServerFrame = z.infer<typeof DashboardServerFrame>;
