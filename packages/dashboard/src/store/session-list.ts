import type { AgentSession } from "@kon/protocol";

export function sortSessions(sessions: readonly AgentSession[]): AgentSession[] {
  return [...sessions].sort((a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : 0));
}

/** A `session` frame applied to one agent's list, newest activity first. */
export function applySessionChange(
  list: readonly AgentSession[],
  action: "created" | "updated" | "deleted",
  session: AgentSession,
): readonly AgentSession[] {
  const rest = list.filter((s) => s.id !== session.id);
  if (action === "deleted") return rest.length === list.length ? list : rest;
  return sortSessions([...rest, session]);
}
