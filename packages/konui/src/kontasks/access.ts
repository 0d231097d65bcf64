import type { Principal } from "../http/context.ts";

/** Who is acting on kontasks, reduced to what the rules need. */
export type KontaskActor =
  | { kind: "admin"; userId: string; username: string }
  | { kind: "user"; userId: string; username: string }
  | { kind: "process"; userId: string; sessionId: string };

interface Owned {
  ownerUserId: string;
  targetUser: string | null;
  sessionId: string | null;
}

export function actorOf(principal: Principal): KontaskActor {
  if (principal.kind === "process") {
    return { kind: "process", userId: principal.grant.userId, sessionId: principal.grant.sessionId };
  }
  const { id, username, role } = principal.user;
  return { kind: role === "admin" ? "admin" : "user", userId: id, username };
}

/** Admins see everything; a user their own and those aimed at them; a process its session's. */
export function visibleTo(row: Owned, actor: KontaskActor): boolean {
  if (actor.kind === "admin") return true;
  if (actor.kind === "process") return row.sessionId === actor.sessionId;
  return row.ownerUserId === actor.userId || row.targetUser === actor.username;
}

/** Processes may update their session's kontasks but never delete; users only their own. */
export function canWrite(row: Owned, actor: KontaskActor, action: "update" | "delete"): boolean {
  if (actor.kind === "admin") return true;
  if (actor.kind === "process") return action === "update" && row.sessionId === actor.sessionId;
  return row.ownerUserId === actor.userId;
}
