import { TokenRequest, type TokenResponse } from "@kon/protocol";
import { Hono } from "hono";
import { readJsonOrForm } from "../http/body.ts";
import type { Services } from "../services.ts";
import { checkLogin } from "./login.ts";

/** `POST /api/token`: username + password (JSON or form) → a short-lived JWT. */
export function loginRoutes(s: Services) {
  return new Hono().post("/api/token", async (c) => {
    // A token (or an error about credentials) must not be kept by any cache.
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    const credentials = await readJsonOrForm(c, TokenRequest, "credentials");
    const user = await checkLogin(s, c, credentials);
    const issued = await s.accessTokens.issue(user.id);
    s.logger.info({ userId: user.id }, "login");
    return c.json({ access_token: issued.token, token_type: "bearer", expires_in: issued.expiresInSec } satisfies TokenResponse, 200);
  });
}
