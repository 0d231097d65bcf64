import { sameProfile, type HotProfile } from "./hot-profile.ts";
import type { ProfileTarget } from "./wanted-profiles.ts";

export interface PoolPlan<T> {
  /** Unclaimed processes beyond their profile's target (a profile nobody wants any more has target 0). */
  surplus: T[];
  /** The profile to warm next, the most wanted first; undefined when every target is met. */
  next: HotProfile | undefined;
}

/** Matches the unclaimed processes against the targets, in the order given (earlier ones are kept). */
export function planPool<T extends { profile: HotProfile }>(targets: readonly ProfileTarget[], unclaimed: readonly T[]): PoolPlan<T> {
  const left = targets.map((target) => ({ ...target }));
  const surplus: T[] = [];
  for (const hot of unclaimed) {
    const slot = left.find((target) => target.count > 0 && sameProfile(target.profile, hot.profile));
    if (slot) slot.count -= 1;
    else surplus.push(hot);
  }
  return { surplus, next: left.find((target) => target.count > 0)?.profile };
}
