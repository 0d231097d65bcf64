import type { Kontask } from "@kon/protocol";
import type { KontaskFilters } from "../api/endpoints.ts";

export function matchesFilters(kontask: Kontask, filters: KontaskFilters): boolean {
  if (filters.status && kontask.status !== filters.status) return false;
  if (filters.type && kontask.type !== filters.type) return false;
  if (filters.scope && kontask.scope !== filters.scope) return false;
  if (filters.tag && !kontask.tags.includes(filters.tag)) return false;
  if (filters.session && kontask.sessionId !== filters.session) return false;
  return true;
}

/** A `kontask` frame applied to the list shown: newest first, only what the filters let through. */
export function applyKontaskChange(
  list: readonly Kontask[],
  filters: KontaskFilters,
  action: "created" | "updated" | "deleted",
  kontask: Kontask,
): readonly Kontask[] {
  const index = list.findIndex((k) => k.id === kontask.id);
  if (action === "deleted" || !matchesFilters(kontask, filters)) {
    return index === -1 ? list : list.filter((k) => k.id !== kontask.id);
  }
  if (index !== -1) return list.with(index, kontask);
  if (action === "updated") return list;
  return [kontask, ...list].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
