import { createKonsoleBus, type KonsoleBus } from "../events/bus.ts";

interface Waiter {
  owner: string;
  since: number;
  resolve(): void;
}

/**
 * A counting semaphore for the global cap on live Claude processes, fair between owners
 * (users): a freed slot goes to the waiter whose owner was served longest ago, first come
 * first served among equals, so one user's backlog cannot hold everyone else's turns back.
 * Hot processes hold a slot for their whole life; `slot.waiting` on the bus lets the hot pool
 * give one back when a caller waits, and `slot.released` (not handed on) lets it refill.
 */
export class ProcessSlots {
  private used = 0;
  private readonly waiters: Waiter[] = [];
  /** When each owner last got a slot (a counter, not a clock). */
  private readonly lastServed = new Map<string, number>();
  private served = 0;

  constructor(
    readonly capacity: number,
    private readonly bus: KonsoleBus = createKonsoleBus(),
  ) {}

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  tryAcquire(owner = ""): boolean {
    if (this.used >= this.capacity || this.waiters.length > 0) return false;
    this.used += 1;
    this.noteServed(owner);
    this.bus.publish({ type: "slot.acquired", waitedMs: 0 });
    return true;
  }

  /** Resolves once a slot is held for `owner`; `release` gives it back. */
  acquire(owner = ""): Promise<void> {
    if (this.tryAcquire(owner)) return Promise.resolve();
    const held = new Promise<void>((resolve) => this.waiters.push({ owner, since: performance.now(), resolve }));
    this.bus.publish({ type: "slot.waiting", waiting: this.waiters.length });
    return held;
  }

  release(): void {
    const next = this.nextWaiter();
    if (next) {
      this.noteServed(next.owner);
      this.bus.publish({ type: "slot.released", handedOn: true });
      this.bus.publish({ type: "slot.acquired", waitedMs: performance.now() - next.since });
      next.resolve();
      return;
    }
    this.used = Math.max(0, this.used - 1);
    this.bus.publish({ type: "slot.released", handedOn: false });
  }

  private nextWaiter(): Waiter | undefined {
    let best = -1;
    let bestServed = Infinity;
    for (const [index, waiter] of this.waiters.entries()) {
      const served = this.lastServed.get(waiter.owner) ?? -1;
      if (served < bestServed) {
        best = index;
        bestServed = served;
      }
    }
    return best === -1 ? undefined : this.waiters.splice(best, 1)[0];
  }

  private noteServed(owner: string): void {
    this.lastServed.set(owner, ++this.served);
    // Owners nobody waits for need no history beyond "served long ago".
    if (this.lastServed.size > 1_000) {
      const waitingOwners = new Set(this.waiters.map((waiter) => waiter.owner));
      for (const known of this.lastServed.keys()) if (!waitingOwners.has(known) && known !== owner) this.lastServed.delete(known);
    }
  }
}
