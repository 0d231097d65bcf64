import type { ObservedSessionState } from "@kon/protocol";

/** A transcript written this recently counts as running even without a konsole process. */
export const RUNNING_WITHIN_MS = 2 * 60_000;
/** Written this recently: idle; older: ended. */
export const IDLE_WITHIN_MS = 60 * 60_000;

export function sessionStateOf(lastAt: string | null, live: boolean, now: number): ObservedSessionState {
  if (live) return "running";
  const age = lastAt ? now - Date.parse(lastAt) : Number.POSITIVE_INFINITY;
  if (age <= RUNNING_WITHIN_MS) return "running";
  return age <= IDLE_WITHIN_MS ? "idle" : "ended";
}
