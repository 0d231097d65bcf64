import { documented, validate } from "@kon/openapi";
import { FeatureFlag, FeatureFlagList, FeatureFlagName, SetFeatureFlagRequest } from "@kon/protocol";
import { Hono } from "hono";
import { z } from "zod";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** Feature flags: anyone logged in reads them, admins set them globally or per agent. */
export function flagRoutes(s: Services) {
  const tags = ["flags"];
  return new Hono<AppEnv>()
    .get("/flags", documented({ summary: "Feature flags", tags, ok: { 200: FeatureFlagList }, errors: [403] }), (c) => {
      requireUser(c);
      return c.json({ flags: s.flags.list() }, 200);
    })
    .put(
      "/flags/:name",
      documented({ summary: "Set a flag globally or for one agent (admin)", tags, ok: { 200: FeatureFlag }, errors: [403, 413, 415] }),
      validate("param", z.object({ name: FeatureFlagName }), "flag name"),
      validate("json", SetFeatureFlagRequest, "flag"),
      (c) => {
        requireAdmin(c);
        const { enabled, agent } = c.req.valid("json");
        return c.json(s.flags.set(c.req.valid("param").name, agent, enabled), 200);
      },
    );
}
