import type { UpdateUserRequest, User } from "@kon/protocol";
import type { KonuiBus } from "../events/bus.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { RefreshTokens } from "./refresh-tokens.ts";
import type { UserStore } from "./users.ts";

export interface UserChangeDeps {
  users: UserStore;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  bus: KonuiBus;
}

/**
 * An admin's change to a user, and the access it takes away: disabling ends every login (and
 * browser refresh token), a new password every login but the admin's own, a new role the dashboard streams (they filter by it).
 */
export async function changeUser(
  deps: UserChangeDeps,
  id: string,
  change: UpdateUserRequest,
  actor: { userId: string; jti: string },
): Promise<User> {
  const before = deps.users.findById(id);
  const after = await deps.users.update(id, change, actor.userId);
  if (before && !before.disabled && after.disabled) {
    deps.accessTokens.revokeAllOf(id, "user_disabled");
    deps.refreshTokens.revokeAllOf(id);
  } else if (change.password) {
    const spared = id === actor.userId ? actor.jti : undefined;
    deps.accessTokens.revokeAllOf(id, "token_revoked", spared);
    deps.refreshTokens.revokeAllOf(id, spared);
  }
  if (before && before.role !== after.role) deps.bus.publish({ type: "access.lost", userId: id, reason: "role_changed" });
  return after;
}
