import { ApiError, type TokenRequest } from "@kon/protocol";
import type { Context } from "hono";
import type { Services } from "../services.ts";
import { DUMMY_HASH, verifyPassword } from "./password.ts";
import type { UserRow } from "./users.ts";

/**
 * The one password check every login route goes through: throttled per username and per client
 * address (the attempt is counted before the password is checked). Returns the user, or throws
 * 429 (with Retry-After) or 401 (the same answer for an unknown user and a wrong password).
 */
export async function checkLogin(s: Services, c: Context, { username, password }: TokenRequest): Promise<UserRow> {
  const keys = [`user:${username.toLowerCase()}`, `addr:${s.clientAddress(c)}`];
  const attempt = s.throttle.reserve(keys);
  if ("retryAfterMs" in attempt) {
    c.header("Retry-After", String(Math.ceil(attempt.retryAfterMs / 1000)));
    throw new ApiError("rate_limited", "Too many failed logins; try again later");
  }
  let ok = false;
  try {
    const user = s.users.findByUsername(username);
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !matches || user.disabled) throw new ApiError("unauthorized", "Invalid username or password");
    ok = true;
    return user;
  } finally {
    attempt.settle(ok);
  }
}
