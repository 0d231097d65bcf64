import { UpdateBudgetsRequest } from "@kon/protocol";
import { Hono } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import { readJson } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** `GET /api/budgets` (anyone logged in) and `PUT /api/budgets` (admins): the dollar limits. */
export function budgetRoutes(s: Services) {
  return new Hono<AppEnv>()
    .get("/budgets", (c) => {
      requireUser(c);
      return c.json(s.budgets.get(), 200);
    })
    .put("/budgets", async (c) => {
      requireAdmin(c);
      const change = await readJson(c, UpdateBudgetsRequest, "budgets");
      return c.json(s.budgets.update(change), 200);
    });
}
