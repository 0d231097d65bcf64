import { and, eq, gt, inArray, lt, lte } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import { loginThrottle } from "../db/schema.ts";
import type { Clock } from "../time.ts";

type Row = typeof loginThrottle.$inferSelect;

const FREE_FAILURES = 5;
const FORGET_AFTER_MS = 15 * 60_000;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;

/** A reserved login attempt: settle it once the password has been checked. */
export interface LoginAttempt {
  settle(ok: boolean): void;
}

/**
 * Slows down repeated login failures, per username and per client address: after a few free
 * failures each further one blocks the key for twice as long as the last. An attempt is counted
 * (reserved) before its password is checked, so parallel guesses get no more tries than serial
 * ones. Kept in SQLite so a restart forgets nothing.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {
    // Attempts in flight when the last process ended will never settle.
    db.update(loginThrottle).set({ pending: 0 }).where(gt(loginThrottle.pending, 0)).run();
  }

  /** Reserves an attempt for every key, or answers how many milliseconds to wait (nothing reserved). */
  reserve(keys: readonly string[]): LoginAttempt | { retryAfterMs: number } {
    const at = this.now();
    const reserved = this.db.transaction((tx) => {
      const rows = new Map(tx.select().from(loginThrottle).where(inArray(loginThrottle.key, [...keys])).all().map((r) => [r.key, r]));
      let wait = 0;
      for (const key of keys) wait = Math.max(wait, waitFor(current(rows.get(key), at), at));
      if (wait > 0) return { retryAfterMs: wait };
      for (const key of keys) {
        const row = current(rows.get(key), at);
        tx.insert(loginThrottle)
          .values({ key, failures: row?.failures ?? 0, pending: (row?.pending ?? 0) + 1, lastAt: at, blockedUntil: row?.blockedUntil ?? 0 })
          .onConflictDoUpdate({
            target: loginThrottle.key,
            set: { failures: row?.failures ?? 0, pending: (row?.pending ?? 0) + 1, lastAt: at, blockedUntil: row?.blockedUntil ?? 0 },
          })
          .run();
      }
      return null;
    });
    if (reserved) return reserved;
    let settled = false;
    return {
      settle: (ok) => {
        if (settled) return;
        settled = true;
        this.settle(keys, ok);
      },
    };
  }

  /** Deletes keys that have been quiet long enough to be forgotten; returns how many. */
  sweep(): number {
    const at = this.now();
    return this.db
      .delete(loginThrottle)
      .where(and(lt(loginThrottle.lastAt, at - FORGET_AFTER_MS), lte(loginThrottle.blockedUntil, at), eq(loginThrottle.pending, 0)))
      .run().changes;
  }

  private settle(keys: readonly string[], ok: boolean): void {
    const at = this.now();
    this.db.transaction((tx) => {
      for (const key of keys) {
        const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
        if (!row) continue;
        const pending = Math.max(0, row.pending - 1);
        if (ok) {
          // A success clears the user's record; an address keeps its failures (other names were tried from it).
          const clear = key.startsWith("user:");
          tx.update(loginThrottle)
            .set(clear ? { pending, failures: 0, blockedUntil: 0, lastAt: at } : { pending, lastAt: at })
            .where(eq(loginThrottle.key, key))
            .run();
          continue;
        }
        const failures = row.failures + 1;
        const over = failures - FREE_FAILURES;
        const blockedUntil = over > 0 ? Math.max(row.blockedUntil, at + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (over - 1))) : row.blockedUntil;
        tx.update(loginThrottle).set({ pending, failures, blockedUntil, lastAt: at }).where(eq(loginThrottle.key, key)).run();
      }
    });
  }
}

/** The row as it counts now: a key quiet for long enough starts over (attempts in flight are kept). */
function current(row: Row | undefined, at: number): Row | undefined {
  if (row && at - row.lastAt > FORGET_AFTER_MS && at >= row.blockedUntil) return { ...row, failures: 0, blockedUntil: 0 };
  return row;
}

/**
 * How long a key must wait: while blocked, until the block ends; otherwise it may have as many
 * attempts in flight as it has free failures left (at least one), so a burst never checks more
 * passwords than a patient guesser could.
 */
function waitFor(row: Row | undefined, at: number): number {
  if (!row) return 0;
  if (row.blockedUntil > at) return row.blockedUntil - at;
  const inFlightAllowed = Math.max(1, FREE_FAILURES - row.failures);
  return row.pending >= inFlightAllowed ? BASE_DELAY_MS : 0;
}
