import { ApiError } from "@kon/protocol";

/**
 * Turns accepted but not running yet: behind another turn of their session, or waiting for a
 * process slot (cold or hot alike). Bounded overall and per user, so one user's backlog cannot
 * fill the queue for everyone.
 */
export class WaitingTurns {
  private readonly userOf = new Map<string, string>();
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly userLimit: number,
  ) {}

  get size(): number {
    return this.userOf.size;
  }

  countFor(userId: string): number {
    return this.perUser.get(userId) ?? 0;
  }

  /** Refuses (429 `queue_full`) a new turn of `userId` when the queue, or the user's share of it, is full. */
  checkRoom(userId: string): void {
    if (this.size >= this.limit) {
      throw new ApiError("queue_full", `The turn queue is full (${this.limit} turns waiting); try again later.`, { limit: this.limit });
    }
    const mine = this.countFor(userId);
    if (mine >= this.userLimit) {
      throw new ApiError(
        "queue_full",
        `You have ${mine} turns waiting, the most one user may have (${this.userLimit}); try again when one has started.`,
        { limit: this.userLimit, scope: "user" },
      );
    }
  }

  add(turnId: string, userId: string): void {
    if (this.userOf.has(turnId)) return;
    this.userOf.set(turnId, userId);
    this.perUser.set(userId, this.countFor(userId) + 1);
  }

  /** The turn started (or ended); idempotent. */
  remove(turnId: string): void {
    const userId = this.userOf.get(turnId);
    if (userId === undefined) return;
    this.userOf.delete(turnId);
    const left = this.countFor(userId) - 1;
    if (left > 0) this.perUser.set(userId, left);
    else this.perUser.delete(userId);
  }
}
