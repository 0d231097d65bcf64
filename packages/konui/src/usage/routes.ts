import { UsageQuery } from "@kon/protocol";
import { Hono } from "hono";
import { requireUser } from "../auth/guard.ts";
import { readQuery } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** `GET /api/usage`: cost and tokens per UTC day, user and agent. */
export function usageRoutes(s: Services) {
  return new Hono<AppEnv>().get("/usage", (c) => {
    const user = requireUser(c);
    const query = readQuery(c, UsageQuery, "usage query");
    return c.json(s.usage.report(user, query), 200);
  });
}
