/**
 * How long a hot process started now may live: its maximum age, or less when konui grants
 * shorter process tokens than asked for (learned from the last hot token it granted).
 */
export class FreshLife {
  private grantedSec: number | null = null;

  constructor(private readonly maxAgeSec: number) {}

  /** The life (ms from spawn to retirement) the newest hot process got. */
  observe(lifeMs: number): void {
    this.grantedSec = Math.max(0, Math.round(lifeMs / 1000));
  }

  get seconds(): number {
    return Math.min(this.maxAgeSec, this.grantedSec ?? Number.POSITIVE_INFINITY);
  }
}

/** Says why a turn cannot run on a hot process: its timeout outlasts any hot process's life. */
export function hotLifeShortfall(executionTimeoutSec: number | undefined, lifeSec: number): string | null {
  if (executionTimeoutSec === undefined || executionTimeoutSec <= lifeSec) return null;
  return (
    `executionTimeoutSec ${executionTimeoutSec} is longer than a hot process may live (${lifeSec} s, ` +
    `the lesser of KONSOLE_HOT_MAX_AGE_SEC and the process token lifetime konui grants); ` +
    `ask for at most ${lifeSec} s or run the turn cold`
  );
}
