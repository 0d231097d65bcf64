import type { Clock } from "../time.ts";

interface Failures {
  count: number;
  lastAt: number;
  blockedUntil: number;
}

const FREE_FAILURES = 5;
const FORGET_AFTER_MS = 15 * 60_000;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;

/**
 * Slows down repeated login failures, per username and per client address: after a few free
 * failures each further one blocks the key for twice as long as the last.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: Clock) {}

  /** Milliseconds until any of the keys may try again; 0 when free. */
  retryAfterMs(keys: readonly string[]): number {
    const at = this.now();
    let wait = 0;
    for (const key of keys) {
      const entry = this.current(key, at);
      if (entry) wait = Math.max(wait, entry.blockedUntil - at);
    }
    return wait;
  }

  fail(keys: readonly string[]): void {
    const at = this.now();
    for (const key of keys) {
      const entry = this.current(key, at) ?? { count: 0, lastAt: at, blockedUntil: 0 };
      entry.count += 1;
      entry.lastAt = at;
      const over = entry.count - FREE_FAILURES;
      if (over > 0) entry.blockedUntil = at + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (over - 1));
      this.failures.set(key, entry);
    }
    if (this.failures.size > 10_000) this.prune(at);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string, at: number): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry && at - entry.lastAt > FORGET_AFTER_MS && at >= entry.blockedUntil) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(at: number): void {
    for (const key of [...this.failures.keys()]) this.current(key, at);
  }
}
