/** One timer per pending decision, fired at its expiry (at once when that has passed). */
export class ExpiryTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly now: () => number) {}

  schedule(id: string, at: number, fire: (id: string) => void): void {
    this.cancel(id);
    // setTimeout cannot wait longer than ~24.8 days; a policy's timeout is at most a day.
    const delay = Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      fire(id);
    }, delay);
    timer.unref();
    this.timers.set(id, timer);
  }

  cancel(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
