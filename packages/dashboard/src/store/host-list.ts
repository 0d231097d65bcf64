import type { ObservedSession } from "@kon/protocol";

/** Which host sessions the list shows: active (running or idle) or every one. */
export type HostFilter = "active" | "all";

const newestFirst = (a: ObservedSession, b: ObservedSession) => (b.lastActivityAt ?? "").localeCompare(a.lastActivityAt ?? "") || a.id.localeCompare(b.id);

/** A `host` frame's session applied to the list: replaced or added in activity order, dropped when the filter no longer takes it. */
export function applyHostSession(list: readonly ObservedSession[], filter: HostFilter, session: ObservedSession): readonly ObservedSession[] {
  const rest = list.filter((s) => s.id !== session.id);
  if (filter === "active" && session.state === "ended") return rest.length === list.length ? list : rest;
  return [...rest, session].sort(newestFirst);
}

export function totalObservedTokens(tokens: ObservedSession["usage"]["tokens"]): number {
  return tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h;
}
