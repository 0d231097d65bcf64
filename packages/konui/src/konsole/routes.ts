import { documented } from "@kon/openapi";
import { HotStatus } from "@kon/protocol";
import { Hono } from "hono";
import { requireAdmin } from "../auth/guard.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** Operators watch konsole's process pool through konui, the only public port (admin). */
export function konsoleRoutes(s: Services) {
  const operation = documented({ summary: "konsole's hot process pool (admin)", tags: ["konsole"], ok: { 200: HotStatus }, errors: [403, 503] });
  return new Hono<AppEnv>().get("/konsole/hot", operation, async (c) => {
    requireAdmin(c);
    return c.json(await s.konsole.hotStatus(), 200);
  });
}
