import { documented, validate } from "@kon/openapi";
import { UsageQuery, UsageReport } from "@kon/protocol";
import { Hono } from "hono";
import { requireUser } from "../auth/guard.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** `GET /api/usage`: cost and tokens per UTC day, user and agent. */
export function usageRoutes(s: Services) {
  return new Hono<AppEnv>().get(
    "/usage",
    documented({ summary: "Cost and tokens per UTC day, user and agent", tags: ["usage"], ok: { 200: UsageReport }, errors: [403] }),
    validate("query", UsageQuery, "usage query"),
    (c) => c.json(s.usage.report(requireUser(c), c.req.valid("query")), 200),
  );
}
