import { AnswerDecisionRequest, DecisionListQuery, KontaskListQuery, type DecisionPage, type Inbox, type InboxItem } from "@kon/protocol";
import { Hono } from "hono";
import { requireUser } from "../auth/guard.ts";
import { readJson, readQuery } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { toDecision } from "./decision-row.ts";

const INBOX_LIMIT = 200;

/** Decisions and the inbox: people only (a process token gets 403); what a caller may not answer does not exist (404). */
export function decisionRoutes(s: Services) {
  return new Hono<AppEnv>()
    .get("/decisions", (c) => {
      const user = requireUser(c);
      const query = readQuery(c, DecisionListQuery, "decision query");
      const { rows, nextCursor } = s.decisionStore.list(query, s.decisions.viewerOf(user));
      return c.json({ decisions: rows.map(toDecision), nextCursor } satisfies DecisionPage, 200);
    })
    .get("/decisions/:id", (c) => c.json(s.decisions.find(requireUser(c), c.req.param("id")), 200))
    .post("/decisions/:id/answer", async (c) => {
      const user = requireUser(c);
      const request = await readJson(c, AnswerDecisionRequest, "answer");
      return c.json(await s.decisions.answer(user, c.req.param("id"), request), 200);
    })
    .get("/inbox", (c) => {
      const user = requireUser(c);
      const pending = s.decisionStore.list(DecisionListQuery.parse({ status: "pending", limit: INBOX_LIMIT }), s.decisions.viewerOf(user));
      // Kontasks wait for the person they belong to or are aimed at, admins included.
      const kontasks = s.kontasks.list(KontaskListQuery.parse({ status: "awaiting_input", limit: INBOX_LIMIT }), {
        kind: "user",
        userId: user.id,
        username: user.username,
      });
      const items: InboxItem[] = [
        ...pending.rows.map((row): InboxItem => ({ kind: "decision", at: new Date(row.createdAt).toISOString(), decision: toDecision(row) })),
        ...kontasks.kontasks.map((kontask): InboxItem => ({ kind: "kontask", at: kontask.updatedAt, kontask })),
      ].sort((a, b) => b.at.localeCompare(a.at));
      return c.json({ items, count: items.length } satisfies Inbox, 200);
    });
}

