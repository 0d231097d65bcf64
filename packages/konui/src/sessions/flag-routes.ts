import { FeatureFlagName, SetFeatureFlagRequest } from "@kon/protocol";
import { Hono } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import { parseWith, readJson } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** Feature flags: anyone logged in reads them, admins set them globally or per agent. */
export function flagRoutes(s: Services) {
  return new Hono<AppEnv>()
    .get("/flags", (c) => {
      requireUser(c);
      return c.json({ flags: s.flags.list() }, 200);
    })
    .put("/flags/:name", async (c) => {
      requireAdmin(c);
      const name = parseWith(FeatureFlagName, c.req.param("name"), "flag name");
      const { enabled, agent } = await readJson(c, SetFeatureFlagRequest, "flag");
      return c.json(s.flags.set(name, agent, enabled), 200);
    });
}
