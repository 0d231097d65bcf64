import { documented, validate } from "@kon/openapi";
import { Budgets, UpdateBudgetsRequest } from "@kon/protocol";
import { Hono } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

/** `GET /api/budgets` (anyone logged in) and `PUT /api/budgets` (admins): the dollar limits. */
export function budgetRoutes(s: Services) {
  const tags = ["budgets"];
  return new Hono<AppEnv>()
    .get("/budgets", documented({ summary: "The dollar limits on spending", tags, ok: { 200: Budgets }, errors: [403] }), (c) => {
      requireUser(c);
      return c.json(s.budgets.get(), 200);
    })
    .put(
      "/budgets",
      documented({ summary: "Set or clear dollar limits (admins)", tags, ok: { 200: Budgets }, errors: [403, 413, 415] }),
      validate("json", UpdateBudgetsRequest, "budgets"),
      (c) => {
        requireAdmin(c);
        return c.json(s.budgets.update(c.req.valid("json")), 200);
      },
    );
}
