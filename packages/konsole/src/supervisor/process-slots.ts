/**
 * A FIFO counting semaphore for the global cap on live Claude processes. Hot processes hold a
 * slot for their whole life; `onPressure` lets the hot pool give one back when a caller waits.
 */
export class ProcessSlots {
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly pressureListeners = new Set<() => void>();
  private readonly freedListeners = new Set<() => void>();

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  tryAcquire(): boolean {
    if (this.used >= this.capacity || this.waiters.length > 0) return false;
    this.used += 1;
    return true;
  }

  /** Resolves once a slot is held; `release` gives it back. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    const held = new Promise<void>((resolve) => this.waiters.push(resolve));
    for (const listener of this.pressureListeners) listener();
    return held;
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) {
      next();
      return;
    }
    this.used = Math.max(0, this.used - 1);
    for (const listener of this.freedListeners) listener();
  }

  /** Called whenever an `acquire` has to wait. */
  onPressure(listener: () => void): () => void {
    this.pressureListeners.add(listener);
    return () => this.pressureListeners.delete(listener);
  }

  /** Called whenever a slot becomes free with nobody waiting for it. */
  onFreed(listener: () => void): () => void {
    this.freedListeners.add(listener);
    return () => this.freedListeners.delete(listener);
  }
}
