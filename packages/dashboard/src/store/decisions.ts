import type { Decision } from "@kon/protocol";

/** Decisions by the turn that asked, oldest first. */
export type DecisionsByTurn = Readonly<Record<string, readonly Decision[]>>;

export const isSettled = (d: Decision): boolean => d.status !== "pending";

/**
 * Which of two copies of one decision to keep. A settled decision never becomes pending again,
 * so a late `created` frame or a page read before the answer cannot bring a request back.
 */
export function newerDecision(current: Decision, incoming: Decision): Decision {
  if (isSettled(current) && !isSettled(incoming)) return current;
  return incoming;
}

const byCreatedAt = (a: Decision, b: Decision) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);

/** One decision put into its turn's list (kept identical when nothing changed, so memoised articles skip). */
export function putDecision(byTurn: DecisionsByTurn, decision: Decision): DecisionsByTurn {
  const list = byTurn[decision.turnId] ?? [];
  const index = list.findIndex((d) => d.id === decision.id);
  if (index === -1) return { ...byTurn, [decision.turnId]: [...list, decision].sort(byCreatedAt) };
  const kept = newerDecision(list[index] as Decision, decision);
  if (kept === list[index]) return byTurn;
  return { ...byTurn, [decision.turnId]: list.with(index, kept) };
}

export function putDecisions(byTurn: DecisionsByTurn, decisions: readonly Decision[]): DecisionsByTurn {
  let result = byTurn;
  for (const decision of decisions) result = putDecision(result, decision);
  return result;
}
