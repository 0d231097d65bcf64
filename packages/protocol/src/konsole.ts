import { z } from "zod";
import { ClaudeLine, ImageAttachment } from "./claude.ts";
import { ClaudeCredentials, ErrorBody } from "./errors.ts";
import { ObserverEvent } from "./observer.ts";
import { PermissionRule, PolicyVerdict } from "./permissions.ts";

// The konsole API: what konui (holding the service token) sends to the supervisor and gets back.

export const SessionId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "letters, digits, '-' and '_' only (1-128)");
export const TurnId = z.string().uuid();

export const MaxTurns = z.number().int().min(1).max(500);
export const DEFAULT_MAX_TURNS = 50;

export const PermissionMode = z.enum(["default", "acceptEdits", "bypassPermissions", "plan", "dontAsk"]);
export type PermissionMode = z.infer<typeof PermissionMode>;

export const TurnMode = z.enum(["cold", "hot"]);
export type TurnMode = z.infer<typeof TurnMode>;

/** A text file for the agent, written into the session workspace's `uploads/` before the turn. */
export const WorkspaceFile = z.object({
  /** A name the sender generated: no directories, nothing hidden. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "a plain file name: letters, digits, '.', '_' and '-'"),
  /** base64 */
  data: z.string(),
});
export type WorkspaceFile = z.infer<typeof WorkspaceFile>;

/** The budgets an admin can set, in dollars: per turn, per session, per user per day and month, per agent per day. */
export const BudgetName = z.enum(["turn", "session", "user_day", "user_month", "agent_day"]);
export type BudgetName = z.infer<typeof BudgetName>;

/** The tightest budget a turn runs under, as the sender worked it out when it sent the turn. */
export const TurnBudget = z.object({
  name: BudgetName,
  /** Dollars the turn may still spend: konsole passes it to the CLI and stops the turn past it. */
  remainingUsd: z.number().positive(),
  /** The limit in words, for the message of a turn it stops ("the per-session budget of $5.00, $4.20 spent before this turn"). */
  description: z.string().min(1).max(300),
});
export type TurnBudget = z.infer<typeof TurnBudget>;
/**
 * How konsole answers the CLI's tool permission requests for one turn: deny rules, then allow
 * rules (the CLI's syntax), then — with `ask` — a `permission` journal entry that waits for
 * `POST /turns/:turnId/permissions/:requestId`; without `ask` an undecided call is denied at once.
 */
export const TurnPermissions = z.object({
  allow: z.array(PermissionRule).max(500).default([]),
  deny: z.array(PermissionRule).max(500).default([]),
  ask: z.boolean().default(false),
});
export type TurnPermissions = z.input<typeof TurnPermissions>;

export const StartTurnRequest = z.object({
  /** The user the turn runs for; goes into the process token. */
  userId: z.string().min(1),
  text: z.string().max(1_000_000),
  images: z.array(ImageAttachment).max(20).default([]),
  /** Files the message names as `uploads/<name>`, relative to the session's working directory. */
  files: z.array(WorkspaceFile).max(20).default([]),
  maxTurns: MaxTurns.default(DEFAULT_MAX_TURNS),
  /** Wall-clock cap for the turn, enforced by konsole; omitted = no cap. */
  executionTimeoutSec: z.number().int().min(1).max(86_400).optional(),
  permissionMode: PermissionMode.optional(),
  allowedTools: z.array(z.string().min(1)).optional(),
  /** Working directory for a new conversation; default: a workspace dir of the session's own. */
  cwd: z.string().min(1).optional(),
  /** `hot` runs the prompt on the session's live process (kept for its next prompt); `cold` spawns one for this turn. */
  mode: TurnMode.default("cold"),
  /** An id the caller picks so it can match the turn's events to its own records. */
  requestId: z.string().max(200).optional(),
  /** Omitted: no budget applies. */
  budget: TurnBudget.optional(),
  /** Tool calls outside `allowedTools`; omitted = denied unasked. */
  permissions: TurnPermissions.optional(),
});
export type StartTurnRequest = z.input<typeof StartTurnRequest>;
export type StartTurnParams = z.output<typeof StartTurnRequest>;

export const TurnStatus = z.enum(["queued", "running", "succeeded", "failed"]);
export type TurnStatus = z.infer<typeof TurnStatus>;

export const TurnErrorCode = z.enum([
  "max_turns",
  "timeout",
  "interrupted",
  "claude_error",
  "spawn_failed",
  "token_unavailable",
  "no_output",
  "supervisor_restarted",
  "session_ended",
  "budget_exceeded",
]);
export type TurnErrorCode = z.infer<typeof TurnErrorCode>;

export const TurnError = z.object({ code: TurnErrorCode, message: z.string() });
export type TurnError = z.infer<typeof TurnError>;

export const TokenCounts = z.object({
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
  cacheRead: z.number().int().nonnegative(),
  cacheCreation: z.number().int().nonnegative(),
});
export type TokenCounts = z.infer<typeof TokenCounts>;

export const CostSource = z.enum(["cli", "cli_delta", "usage", "transcript", "unknown"]);
export type CostSource = z.infer<typeof CostSource>;

export const TurnFigures = z.object({
  totalMs: z.number().nonnegative(),
  /** From the prompt written to the first model output (`assistant` or `stream_event`). */
  ttfeMs: z.number().nonnegative().nullable(),
  modelMs: z.number().nonnegative(),
  toolMs: z.number().nonnegative(),
  toolCallCount: z.number().int().nonnegative(),
  /** The turn's own cost, never a running total; null when it cannot be known. */
  costUsd: z.number().nonnegative().nullable(),
  costSource: CostSource,
  tokens: TokenCounts,
  model: z.string().nullable(),
  numTurns: z.number().int().nonnegative(),
  /** (cache_read + cache_creation of the last assistant message) / context window, 0..1. */
  lastCacheRatio: z.number().nonnegative().nullable(),
  compactions: z.number().int().nonnegative(),
  /** What the turn's process was billed on (an API key, a subscription login, …); absent on turns closed before konsole said. */
  credentials: ClaudeCredentials.optional(),
});
export type TurnFigures = z.infer<typeof TurnFigures>;

export const Turn = z.object({
  id: TurnId,
  sessionId: SessionId,
  userId: z.string(),
  requestId: z.string().nullable(),
  mode: TurnMode,
  status: TurnStatus,
  reply: z.string().nullable(),
  error: TurnError.nullable(),
  recovered: z.boolean(),
  memoryLost: z.boolean(),
  claudeSessionId: z.string().nullable(),
  pid: z.number().int().nullable(),
  figures: TurnFigures.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Turn = z.infer<typeof Turn>;

export const TurnAccepted = z.object({ turn: Turn, queuePosition: z.number().int().nonnegative() });
export type TurnAccepted = z.infer<typeof TurnAccepted>;

/**
 * A `can_use_tool` request of the CLI and what konsole's rules made of it: `ask` waits for an
 * answer; `allow` / `deny` were answered at once by `rule` (or, with no rule, because nobody may
 * be asked).
 */
export const PermissionRequest = z.object({
  /** The CLI's request_id: what the answer names. */
  requestId: z.string(),
  toolName: z.string(),
  toolUseId: z.string().nullable(),
  input: z.record(z.string(), z.unknown()),
  /** The CLI's `permission_suggestions` ("always allow" entries it proposes). */
  suggestions: z.array(z.unknown()),
  /** Why the CLI asked, when it said. */
  reason: z.string().nullable(),
  verdict: PolicyVerdict,
  /** The process's working directory. */
  cwd: z.string().nullable(),
});
export type PermissionRequest = z.infer<typeof PermissionRequest>;

/**
 * One entry of a turn's journal; `seq` counts from 1 within the turn. `observer` entries belong
 * to no turn (OBSERVER_JOURNAL_TURN_ID / OBSERVER_JOURNAL_SESSION_ID); consumers ignore types
 * they do not use.
 */
export const JournalPayload = z.discriminatedUnion("type", [
  z.object({ type: z.literal("claude"), line: ClaudeLine }),
  z.object({ type: z.literal("stderr"), text: z.string() }),
  z.object({ type: z.literal("turn"), turn: Turn }),
  z.object({ type: z.literal("observer"), event: ObserverEvent }),
  z.object({ type: z.literal("permission"), request: PermissionRequest }),
]);
export type JournalPayload = z.infer<typeof JournalPayload>;

export const JournalEntry = z.object({
  /** Global, strictly increasing across all turns: the cursor a subscriber resumes from. */
  cursor: z.number().int().positive(),
  turnId: TurnId,
  sessionId: SessionId,
  seq: z.number().int().positive(),
  at: z.string(),
  payload: JournalPayload,
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const TurnEventsQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const TurnEventsPage = z.object({ entries: z.array(JournalEntry), nextSeq: z.number().int().nonnegative() });
export type TurnEventsPage = z.infer<typeof TurnEventsPage>;

export const KonsoleSession = z.object({
  id: SessionId,
  claudeSessionId: z.string().nullable(),
  cwd: z.string(),
  hot: z.boolean(),
  queued: z.number().int().nonnegative(),
  runningTurnId: TurnId.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KonsoleSession = z.infer<typeof KonsoleSession>;

export const HotProcessState = z.enum(["warming", "idle", "busy", "retiring"]);
export type HotProcessState = z.infer<typeof HotProcessState>;
export const HotProcessStatus = z.object({
  pid: z.number().int().nullable(),
  sessionId: SessionId.nullable(),
  claudeSessionId: z.string(),
  state: HotProcessState,
  ageSec: z.number().nonnegative(),
  idleSec: z.number().nonnegative(),
  prompts: z.number().int().nonnegative(),
  rssBytes: z.number().int().nonnegative().nullable(),
  /** The `--max-turns` the process was started with (a prompt asking for another cap needs another process). */
  maxTurns: MaxTurns.optional(),
});
export type HotProcessStatus = z.infer<typeof HotProcessStatus>;
export const HotStatus = z.object({
  poolSize: z.number().int().nonnegative(),
  targetSize: z.number().int().nonnegative(),
  activeSessions: z.number().int().nonnegative(),
  processes: z.array(HotProcessStatus),
  refill: z.object({
    failures: z.number().int().nonnegative(),
    backoffUntil: z.string().nullable(),
    stopped: z.boolean(),
    lastError: z.string().nullable(),
  }),
});
export type HotStatus = z.infer<typeof HotStatus>;

export const HotConfigRequest = z.object({ targetSize: z.number().int().min(0).max(64) });
export type HotConfigRequest = z.infer<typeof HotConfigRequest>;

// ---- WebSocket /ws ----

export const KonsoleClientFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("subscribe"),
    /** Only this session's entries; omitted = everything. */
    sessionId: SessionId.optional(),
    /** Deliver entries with a cursor greater than this one. */
    after: z.number().int().nonnegative().default(0),
  }),
  z.object({ type: z.literal("ping") }),
]);
export type KonsoleClientFrame = z.infer<typeof KonsoleClientFrame>;

export const KonsoleServerFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribed"), after: z.number().int().nonnegative(), sessionId: SessionId.nullable() }),
  z.object({ type: z.literal("entry"), entry: JournalEntry }),
  z.object({ type: z.literal("pong") }),
  z.object({ type: z.literal("error"), error: ErrorBody.shape.error }),
]);
export type KonsoleServerFrame = z.infer<typeof KonsoleServerFrame>;

/** Close codes of konsole's `/ws` besides the standard ones. */
export const KonsoleCloseCode = {
  /** The client read too slowly: its socket's unsent data passed the cap. Reconnect and resume from the last cursor. */
  too_slow: 4008,
} as const;
