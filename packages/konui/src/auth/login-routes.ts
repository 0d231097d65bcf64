import { documented, validate } from "@kon/openapi";
import { TokenRequest, TokenResponse } from "@kon/protocol";
import { Hono } from "hono";
import type { Services } from "../services.ts";
import { checkLogin } from "./login.ts";

/** `POST /api/token`: username + password (JSON or form) → a short-lived JWT. */
export function loginRoutes(s: Services) {
  return new Hono().post(
    "/api/token",
    documented({
      summary: "Log in with username and password (JSON or form fields): a short-lived access token",
      tags: ["login"],
      public: true,
      ok: { 200: TokenResponse },
      errors: [401, 413, 415, 429],
    }),
    async (c, next) => {
      // A token (or an error about credentials, or about the request) must not be kept by any cache.
      c.header("Cache-Control", "no-store");
      c.header("Pragma", "no-cache");
      await next();
    },
    validate("json", TokenRequest, "credentials", "json-or-form"),
    async (c) => {
      const user = await checkLogin(s, c, c.req.valid("json"));
      const issued = await s.accessTokens.issue(user.id);
      s.logger.info({ userId: user.id }, "login");
      return c.json({ access_token: issued.token, token_type: "bearer", expires_in: issued.expiresInSec } satisfies TokenResponse, 200);
    },
  );
}
