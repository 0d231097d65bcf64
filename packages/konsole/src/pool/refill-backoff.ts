/**
 * The pool's refill pacing: each failure in a row doubles the pause before the next try, and
 * `maxFailures` in a row stop refilling altogether (a crash loop) until someone resets it.
 */
export class RefillBackoff {
  failures = 0;
  backoffUntil: number | null = null;
  stopped = false;
  lastError: string | null = null;

  constructor(
    private readonly baseMs: number,
    private readonly maxFailures: number,
    private readonly maxMs = 60_000,
  ) {}

  recordFailure(error: string, now = Date.now()): void {
    this.failures += 1;
    this.lastError = error;
    if (this.failures >= this.maxFailures) {
      this.stopped = true;
      this.backoffUntil = null;
      return;
    }
    this.backoffUntil = now + Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1));
  }

  recordSuccess(): void {
    this.failures = 0;
    this.backoffUntil = null;
  }

  /** How long to wait before the next try; Infinity once stopped. */
  waitMs(now = Date.now()): number {
    if (this.stopped) return Number.POSITIVE_INFINITY;
    return this.backoffUntil === null ? 0 : Math.max(0, this.backoffUntil - now);
  }

  reset(): void {
    this.recordSuccess();
    this.stopped = false;
    this.lastError = null;
  }
}
