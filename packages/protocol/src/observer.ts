import { z } from "zod";

// The host observer (konsole): every Claude Code transcript under the observed roots, indexed.

/** Tokens by kind; cache writes split by lifetime, as the Messages API reports them. */
export const ObservedTokens = z.object({
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
  cacheRead: z.number().int().nonnegative(),
  cacheWrite5m: z.number().int().nonnegative(),
  cacheWrite1h: z.number().int().nonnegative(),
});
export type ObservedTokens = z.infer<typeof ObservedTokens>;

/** Usage of a set of deduplicated API messages. `costUsd` leaves out `unpricedMessages` (models the price table lacks). */
export const ObservedUsage = z.object({
  tokens: ObservedTokens,
  costUsd: z.number().nonnegative(),
  messages: z.number().int().nonnegative(),
  unpricedMessages: z.number().int().nonnegative(),
});
export type ObservedUsage = z.infer<typeof ObservedUsage>;

/**
 * `running`: a konsole process holds the conversation or its transcript was written in the last
 * few minutes; `idle`: written within the last hour; `ended`: older.
 */
export const ObservedSessionState = z.enum(["running", "idle", "ended"]);
export type ObservedSessionState = z.infer<typeof ObservedSessionState>;

export const ObservedSession = z.object({
  /** The Claude session id. */
  id: z.string(),
  /** The folder under `projects/` (the CLI's name for the cwd). */
  projectDir: z.string(),
  cwd: z.string().nullable(),
  gitBranch: z.string().nullable(),
  /** The CLI's summary line, else the first prompt. */
  title: z.string().nullable(),
  models: z.array(z.string()),
  firstActivityAt: z.string().nullable(),
  lastActivityAt: z.string().nullable(),
  state: ObservedSessionState,
  usage: ObservedUsage,
  /** Of `usage`, what sub-agents (sidechains) used. */
  sidechainUsage: ObservedUsage,
  toolCalls: z.record(z.string(), z.number().int().nonnegative()),
  filesChangedCount: z.number().int().nonnegative(),
  /** konui's agent session when konsole runs this conversation, else null. */
  konsoleSessionId: z.string().nullable(),
});
export type ObservedSession = z.infer<typeof ObservedSession>;

export const ChangedFile = z.object({ path: z.string(), count: z.number().int().positive() });
export type ChangedFile = z.infer<typeof ChangedFile>;

export const ObservedUsageRow = ObservedUsage.extend({
  /** `2026-11-20T21:00:00Z` (hour), `2026-11-20` (day, UTC), the project folder or the model. */
  key: z.string(),
});
export type ObservedUsageRow = z.infer<typeof ObservedUsageRow>;

export const ObservedSessionDetail = ObservedSession.extend({
  filesChanged: z.array(ChangedFile),
  /** Per hour (UTC), oldest first. */
  usageSeries: z.array(ObservedUsageRow),
});
export type ObservedSessionDetail = z.infer<typeof ObservedSessionDetail>;

const flag = z.enum(["true", "false"]);
/** An ISO date (`2026-11-20`) or date-time; kept as the instant it names, in UTC. */
const Instant = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: "an ISO date or date-time",
  })
  .transform((value) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value).toISOString());

/** The most Claude session ids one `sessions` filter names (it travels in a URL). */
export const MAX_SESSION_FILTER = 300;
/** Comma-separated Claude session ids: only these sessions count (konui narrows a plain user's view with it). */
const SessionFilter = z
  .string()
  .max(MAX_SESSION_FILTER * 41)
  .transform((value) => value.split(",").filter((id) => id.length > 0))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "Claude session ids")).max(MAX_SESSION_FILTER));

/** `/api/host/sessions` (konui) takes these; konsole's `/observer/sessions` also `sessions`. */
export const HostSessionsQuery = z.object({
  /** `true`: running or idle only; `false`: ended only. */
  active: flag.optional(),
  project: z.string().min(1).max(4096).optional(),
  /** Sessions with activity at or after this instant. */
  since: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();
export type HostSessionsQuery = z.input<typeof HostSessionsQuery>;

export const ObserverSessionsQuery = HostSessionsQuery.extend({ sessions: SessionFilter.optional() }).strict();
export type ObserverSessionsQuery = z.input<typeof ObserverSessionsQuery>;

export const ObservedSessionPage = z.object({
  sessions: z.array(ObservedSession),
  total: z.number().int().nonnegative(),
  /** The `offset` of the next page, null after the last. */
  nextOffset: z.number().int().nonnegative().nullable(),
});
export type ObservedSessionPage = z.infer<typeof ObservedSessionPage>;

export const ObserverUsageGroup = z.enum(["hour", "day", "project", "model", "session"]);
export type ObserverUsageGroup = z.infer<typeof ObserverUsageGroup>;

const UsageQueryFields = z
  .object({
    groupBy: ObserverUsageGroup.default("day"),
    since: Instant.optional(),
    /** Exclusive. */
    until: Instant.optional(),
    project: z.string().min(1).max(4096).optional(),
    model: z.string().min(1).max(200).optional(),
    session: z.string().min(1).max(200).optional(),
  })
  .strict();
const sinceBeforeUntil = <S extends z.ZodType<{ since?: string; until?: string }>>(schema: S) =>
  schema.refine((query) => !query.since || !query.until || query.since < query.until, {
    message: "since must be before until",
    path: ["until"],
  });

/** `/api/host/usage` (konui). */
export const HostUsageQuery = sinceBeforeUntil(UsageQueryFields);
export type HostUsageQuery = z.input<typeof HostUsageQuery>;

export const ObserverUsageQuery = sinceBeforeUntil(UsageQueryFields.extend({ sessions: SessionFilter.optional() }).strict());
export type ObserverUsageQuery = z.input<typeof ObserverUsageQuery>;

export const ObservedUsageReport = z.object({
  groupBy: ObserverUsageGroup,
  since: z.string().nullable(),
  until: z.string().nullable(),
  rows: z.array(ObservedUsageRow),
  totals: ObservedUsage,
});
export type ObservedUsageReport = z.infer<typeof ObservedUsageReport>;

/** `/api/host/blocks` (konui). */
export const HostBlocksQuery = z.object({ since: Instant.optional() }).strict();
export type HostBlocksQuery = z.input<typeof HostBlocksQuery>;

export const ObserverBlocksQuery = HostBlocksQuery.extend({ sessions: SessionFilter.optional() }).strict();
export type ObserverBlocksQuery = z.input<typeof ObserverBlocksQuery>;

/** A 5-hour usage window as `ccusage blocks` shows it: starts at the hour of its first message. */
export const UsageBlock = z.object({
  start: z.string(),
  end: z.string(),
  /** The last message in it (null for a gap). */
  lastActivityAt: z.string().nullable(),
  isActive: z.boolean(),
  isGap: z.boolean(),
  usage: ObservedUsage,
  models: z.array(z.string()),
  burnRate: z.object({ tokensPerMinute: z.number().nonnegative(), costPerHour: z.number().nonnegative() }).nullable(),
  /** For the active block: where it ends at the current rate. */
  projection: z
    .object({ totalTokens: z.number().nonnegative(), costUsd: z.number().nonnegative(), remainingMinutes: z.number().nonnegative() })
    .nullable(),
});
export type UsageBlock = z.infer<typeof UsageBlock>;

export const UsageBlocksReport = z.object({ blocks: z.array(UsageBlock) });
export type UsageBlocksReport = z.infer<typeof UsageBlocksReport>;

export const ObserverStatus = z.object({
  roots: z.array(z.string()),
  files: z.number().int().nonnegative(),
  sessions: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  /** Lines that were not JSON objects: counted and skipped. */
  malformedLines: z.number().int().nonnegative(),
  lastScanAt: z.string().nullable(),
});
export type ObserverStatus = z.infer<typeof ObserverStatus>;

/** What the observer writes into konsole's journal (payload `{type:"observer", event}`). */
export const ObserverEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("session"), session: ObservedSession }),
  /** Many sessions changed in one pass (e.g. the first index): fetch the list again. */
  z.object({ kind: z.literal("sessions"), changed: z.number().int().positive() }),
]);
export type ObserverEvent = z.infer<typeof ObserverEvent>;

/** Journal entries of the observer carry this turn id and session id (they belong to no turn). */
export const OBSERVER_JOURNAL_TURN_ID = "00000000-0000-0000-0000-000000000000";
export const OBSERVER_JOURNAL_SESSION_ID = "observer";

/** konsole `POST /sessions/:sessionId/adopt`: the session continues this Claude conversation, run in `cwd`. */
export const AdoptConversationRequest = z.object({
  claudeSessionId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "a Claude session id"),
  cwd: z.string().min(1).max(4096),
});
export type AdoptConversationRequest = z.infer<typeof AdoptConversationRequest>;
