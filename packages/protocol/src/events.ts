import { z } from "zod";
import { JournalEntry, Turn, TurnMode } from "./konsole.ts";

// What happens inside each service, told once on its event bus (see bus.ts): the journal
// stream, the live socket and the metrics subscribe instead of keeping listener lists.

export const RequestIdHeader = "x-request-id";
/** An incoming `X-Request-Id` is kept when it looks like an id; anything else is replaced. */
export const RequestId = z.string().regex(/^[A-Za-z0-9._:@/+=-]{1,128}$/);

/** Why a hot process ended; `died` when nobody retired it. */
export const HotEndReason = z.enum([
  "idle",
  "max_age",
  "max_prompts",
  "evicted",
  "replaced",
  "reset",
  "session_ended",
  "pool_shrunk",
  "unwanted_profile",
  "shutdown",
  "died",
]);
export type HotEndReason = z.infer<typeof HotEndReason>;

const processId = z.string();
const durationMs = z.number().nonnegative();

export const KonsoleEvent = z.discriminatedUnion("type", [
  /** A hot process was spawned: for the pool (`pooled`) or for a session. */
  z.object({ type: z.literal("hot.spawned"), processId, pooled: z.boolean() }),
  /** It stayed alive through the settle time. */
  z.object({ type: z.literal("hot.ready"), processId, pooled: z.boolean() }),
  /** A session took a pre-warmed process. */
  z.object({ type: z.literal("hot.claimed"), processId }),
  /** The process is gone (retired for `reason`, evictions included, or died). */
  z.object({ type: z.literal("hot.ended"), processId, reason: HotEndReason }),
  /** A pool refill failed; `backoffMs` until the next try, `stopped` after too many in a row. */
  z.object({ type: z.literal("hot.refill_failed"), error: z.string(), failures: z.number().int(), backoffMs: z.number().nullable(), stopped: z.boolean() }),
  /** A process slot was taken, after `waitedMs` in the queue for one. */
  z.object({ type: z.literal("slot.acquired"), waitedMs: durationMs }),
  /** A caller has to wait for a slot (`waiting` callers now): the hot pool may give one back. */
  z.object({ type: z.literal("slot.waiting"), waiting: z.number().int().positive() }),
  /** A slot was given back: handed on to a waiter, or free with nobody waiting (the pool may refill). */
  z.object({ type: z.literal("slot.released"), handedOn: z.boolean() }),
  /** Every journal append, in cursor order. */
  z.object({ type: z.literal("journal.appended"), entry: JournalEntry }),
  /** A turn got its process (once, even when a memory-loss re-run starts another). */
  z.object({ type: z.literal("turn.started"), turnId: z.string(), sessionId: z.string(), mode: TurnMode }),
  /** A turn reached `succeeded` or `failed`: its figures say duration, ttfe, cost, tokens and model. */
  z.object({ type: z.literal("turn.ended"), turn: Turn }),
  z.object({ type: z.literal("token.issued"), tokenId: z.string(), pooled: z.boolean() }),
  z.object({ type: z.literal("token.bound"), tokenId: z.string() }),
  z.object({ type: z.literal("token.revoked"), tokenId: z.string(), ok: z.boolean() }),
  /** A journal WebSocket opened or closed; `dropped` when it could not keep up. */
  z.object({ type: z.literal("stream.opened") }),
  z.object({ type: z.literal("stream.closed"), dropped: z.boolean() }),
  /** One observer pass: how long it took and how long its oldest change waited to be indexed. */
  z.object({ type: z.literal("observer.pass"), durationMs, lagMs: durationMs }),
]);
export type KonsoleEvent = z.infer<typeof KonsoleEvent>;

/** Why a dashboard socket closed: the client went, it was too slow, or its login lost access. */
export const LiveCloseCause = z.enum(["client", "too_slow", "access_lost", "server_stopping"]);
export type LiveCloseCause = z.infer<typeof LiveCloseCause>;

export const TokenKind = z.enum(["process", "access", "refresh"]);
export type TokenKind = z.infer<typeof TokenKind>;

export const KonuiEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("live.opened"), userId: z.string() }),
  z.object({ type: z.literal("live.closed"), userId: z.string(), cause: LiveCloseCause }),
  z.object({ type: z.literal("token.issued"), kind: TokenKind, pooled: z.boolean() }),
  z.object({ type: z.literal("token.bound"), kind: TokenKind }),
  z.object({ type: z.literal("token.revoked"), kind: TokenKind, count: z.number().int().nonnegative() }),
  z.object({ type: z.literal("token.swept"), kind: TokenKind, count: z.number().int().nonnegative() }),
  /** Logins lost access: one (`jti`) or every one of a user but `exceptJti`; their dashboard streams end. */
  z.object({
    type: z.literal("access.lost"),
    userId: z.string(),
    jti: z.string().optional(),
    exceptJti: z.string().optional(),
    reason: z.enum(["logged_out", "user_disabled", "token_revoked", "role_changed"]),
  }),
  /** A finished turn's outcome was written to konui's records (once per turn). */
  z.object({ type: z.literal("turn.recorded"), agent: z.string(), turn: Turn }),
]);
export type KonuiEvent = z.infer<typeof KonuiEvent>;
