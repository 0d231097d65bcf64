import { Hono } from "hono";
import { requireAdmin } from "../auth/guard.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** Operators watch konsole's process pool through konui, the only public port (admin). */
export function konsoleRoutes(s: Services) {
  return new Hono<AppEnv>().get("/konsole/hot", async (c) => {
    requireAdmin(c);
    return c.json(await s.konsole.hotStatus(), 200);
  });
}
