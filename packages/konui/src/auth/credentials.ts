import { ApiError, type TokenRequest, type TokenResponse } from "@kon/protocol";
import type { Context } from "hono";
import { clientAddress } from "../http/client-address.ts";
import type { Services } from "../services.ts";
import { DUMMY_HASH, verifyPassword } from "./password.ts";
import type { UserRow } from "./users.ts";

/**
 * The one password check of every login route: throttled per username and per client address,
 * the same answer for an unknown user, a wrong password and a disabled user.
 */
export async function checkCredentials(s: Services, c: Context, { username, password }: TokenRequest): Promise<UserRow> {
  const userKey = `user:${username.toLowerCase()}`;
  const keys = [userKey, `addr:${clientAddress(c)}`];
  const waitMs = s.throttle.retryAfterMs(keys);
  if (waitMs > 0) {
    c.header("Retry-After", String(Math.ceil(waitMs / 1000)));
    throw new ApiError("rate_limited", "Too many failed logins; try again later");
  }
  const user = s.users.findByUsername(username);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    s.throttle.fail(keys);
    throw new ApiError("unauthorized", "Invalid username or password");
  }
  s.throttle.succeed(userKey);
  return user;
}

/** A token answer must never be stored by a cache on the way. */
export function noStore(c: Context): void {
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
}

export const tokenResponse = (issued: { token: string; expiresInSec: number }): TokenResponse => ({
  access_token: issued.token,
  token_type: "bearer",
  expires_in: issued.expiresInSec,
});
