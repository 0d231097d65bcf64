import { sameProfile, type HotProfile } from "./hot-profile.ts";

/** Beyond this many, the profile asked for longest ago is forgotten. */
const MAX_WANTED = 4;

export interface ProfileTarget {
  profile: HotProfile;
  count: number;
}

/**
 * The profiles new conversations asked for, most recent first: what the pool warms. Starts
 * with the configured default, before any demand is seen.
 */
export class WantedProfiles {
  private readonly profiles: HotProfile[];

  constructor(initial: HotProfile) {
    this.profiles = [initial];
  }

  /** A new conversation asked for `profile`: it becomes the most wanted. */
  note(profile: HotProfile): void {
    const known = this.profiles.findIndex((wanted) => sameProfile(wanted, profile));
    if (known === 0) return;
    if (known > 0) this.profiles.splice(known, 1);
    this.profiles.unshift(profile);
    this.profiles.length = Math.min(this.profiles.length, MAX_WANTED);
  }

  /** `size` pool processes spread over the wanted profiles, the most recent getting any remainder. */
  targets(size: number): ProfileTarget[] {
    const n = this.profiles.length;
    return this.profiles.map((profile, i) => ({ profile, count: Math.floor(size / n) + (i < size % n ? 1 : 0) }));
  }
}
