import { ApiError, TokenRequest, type TokenResponse } from "@kon/protocol";
import { Hono } from "hono";
import { readJsonOrForm } from "../http/body.ts";
import { clientAddress } from "../http/client-address.ts";
import type { Services } from "../services.ts";
import { DUMMY_HASH, verifyPassword } from "./password.ts";

/** `POST /api/token`: username + password (JSON or form) → a short-lived JWT. */
export function loginRoutes(s: Services) {
  return new Hono().post("/api/token", async (c) => {
    const { username, password } = await readJsonOrForm(c, TokenRequest, "credentials");
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
    const issued = await s.accessTokens.issue(user.id);
    s.logger.info({ userId: user.id }, "login");
    return c.json({ access_token: issued.token, token_type: "bearer", expires_in: issued.expiresInSec } satisfies TokenResponse, 200);
  });
}
