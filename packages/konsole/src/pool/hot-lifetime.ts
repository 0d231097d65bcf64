export type RetireReason = "idle" | "max_age" | "max_prompts" | "evicted" | "session_ended" | "reset" | "replaced" | "shutdown" | "pool_shrunk" | "unwanted_profile";

export interface LifetimeLimits {
  idleMs: number;
  maxPrompts: number;
}

export interface LifetimeFacts {
  bound: boolean;
  prompts: number;
  lastUsedAt: number;
  /** The earlier of its maximum age and its token's expiry (with a margin). */
  retireAt: number;
}

/** Why a process that is not busy should be retired now, if it should. */
export function dueRetirement(facts: LifetimeFacts, limits: LifetimeLimits, now: number): RetireReason | null {
  if (now >= facts.retireAt) return "max_age";
  if (limits.maxPrompts > 0 && facts.prompts >= limits.maxPrompts) return "max_prompts";
  // A pool process waiting for its first session is not idle in that sense.
  if (facts.bound && now - facts.lastUsedAt >= limits.idleMs) return "idle";
  return null;
}
