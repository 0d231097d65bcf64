import { TokenRequest } from "@kon/protocol";
import { Hono } from "hono";
import { readJsonOrForm } from "../http/body.ts";
import type { Services } from "../services.ts";
import { checkCredentials, noStore, tokenResponse } from "./credentials.ts";

/** `POST /api/token`: username + password (JSON or form) → a short-lived JWT. */
export function loginRoutes(s: Services) {
  return new Hono().post("/api/token", async (c) => {
    noStore(c);
    const credentials = await readJsonOrForm(c, TokenRequest, "credentials");
    const user = await checkCredentials(s, c, credentials);
    const issued = await s.accessTokens.issue(user.id);
    s.logger.info({ userId: user.id }, "login");
    return c.json(tokenResponse(issued), 200);
  });
}
