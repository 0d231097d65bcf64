import { ApiError } from "@kon/protocol";
import type { AgentSessionStore } from "../sessions/store.ts";
import type { UserStore } from "./users.ts";

export interface BindingTarget {
  /** konui's agent session id: konui starts konsole's turns under it, so the two ids are one. */
  sessionId: string;
  userId: string;
}

/**
 * A process token may only be tied to an enabled user and one of that user's own sessions.
 * A bad target is the caller's mistake in the body, hence 400 (404 is kept for the token itself).
 */
export function checkBindingTarget(users: UserStore, sessions: AgentSessionStore, target: BindingTarget): void {
  const user = users.findById(target.userId);
  if (!user || user.disabled) throw new ApiError("bad_request", "Unknown or disabled user");
  const session = sessions.find(target.sessionId);
  if (!session || session.userId !== target.userId) throw new ApiError("bad_request", "Unknown session, or not that user's");
}
