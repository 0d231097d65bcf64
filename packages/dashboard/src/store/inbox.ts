import type { Decision, Inbox, InboxItem, Kontask } from "@kon/protocol";
import { newerDecision } from "./decisions.ts";

/** What waits for the person, newest first, kept right by `decision` and `kontask` frames. */
export interface InboxState {
  /** null until the first read of `/api/inbox`. */
  items: readonly InboxItem[] | null;
  /** Ids of decisions seen settled: a read that raced an answer cannot bring them back. */
  settled: ReadonlySet<string>;
  error: string | null;
}

export const emptyInbox: InboxState = { items: null, settled: new Set(), error: null };

const itemId = (item: InboxItem): string => (item.kind === "decision" ? `d:${item.decision.id}` : `k:${item.kontask.id}`);

const newestFirst = (a: InboxItem, b: InboxItem) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0);

export function inboxCount(state: InboxState): number {
  return state.items?.length ?? 0;
}

/** A fresh read of `/api/inbox`, minus what frames already said was settled meanwhile. */
export function applyInboxRead(state: InboxState, inbox: Inbox): InboxState {
  const items = inbox.items.filter((item) => item.kind !== "decision" || !state.settled.has(item.decision.id)).sort(newestFirst);
  return { ...state, items, error: null };
}

/** A `decision` frame (or an answer's response): a pending one joins, a settled one leaves. */
export function applyDecisionToInbox(state: InboxState, decision: Decision): InboxState {
  const items = state.items ?? [];
  const index = items.findIndex((item) => item.kind === "decision" && item.decision.id === decision.id);
  if (decision.status !== "pending") {
    const settled = state.settled.has(decision.id) ? state.settled : new Set([...state.settled, decision.id]);
    if (index === -1) return settled === state.settled ? state : { ...state, settled };
    return { ...state, settled, items: items.filter((_, i) => i !== index) };
  }
  if (state.settled.has(decision.id)) return state;
  if (index !== -1) {
    const current = items[index] as Extract<InboxItem, { kind: "decision" }>;
    const kept = newerDecision(current.decision, decision);
    return kept === current.decision ? state : { ...state, items: items.with(index, { ...current, decision: kept }) };
  }
  const item: InboxItem = { kind: "decision", at: decision.createdAt, decision };
  return { ...state, items: [item, ...items].sort(newestFirst) };
}

export interface KontaskInboxResult {
  state: InboxState;
  /** A kontask the inbox does not know now awaits input: whether it is this person's to answer only konui knows. */
  reread: boolean;
}

/** A `kontask` frame: one in the inbox is updated or leaves when it no longer awaits input. */
export function applyKontaskToInbox(state: InboxState, action: "created" | "updated" | "deleted", kontask: Kontask): KontaskInboxResult {
  const items = state.items ?? [];
  const index = items.findIndex((item) => item.kind === "kontask" && item.kontask.id === kontask.id);
  const waiting = action !== "deleted" && kontask.status === "awaiting_input";
  if (index === -1) return { state, reread: waiting };
  if (!waiting) return { state: { ...state, items: items.filter((_, i) => i !== index) }, reread: false };
  const current = items[index] as Extract<InboxItem, { kind: "kontask" }>;
  return { state: { ...state, items: items.with(index, { ...current, kontask }) }, reread: false };
}

export { itemId as inboxItemKey };

/**
 * The items shown: what waits, plus decisions this page tried to answer after someone else did
 * (kept in place, settled, so the person reads who answered instead of seeing the row vanish).
 */
export function inboxWithAnsweredElsewhere(items: readonly InboxItem[], answeredElsewhere: Readonly<Record<string, Decision>>): InboxItem[] {
  const shown = new Set(items.flatMap((item) => (item.kind === "decision" ? [item.decision.id] : [])));
  const extra: InboxItem[] = Object.values(answeredElsewhere)
    .filter((d) => !shown.has(d.id))
    .map((decision) => ({ kind: "decision", at: decision.createdAt, decision }));
  return extra.length === 0 ? [...items] : [...items, ...extra].sort(newestFirst);
}
