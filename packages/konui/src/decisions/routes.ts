import { documented, validate } from "@kon/openapi";
import { AnswerDecisionRequest, Decision, DecisionListQuery, DecisionPage, Inbox, KontaskListQuery, type InboxItem } from "@kon/protocol";
import { Hono } from "hono";
import { requireUser } from "../auth/guard.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { toDecision } from "./decision-row.ts";

const INBOX_LIMIT = 200;

/** Decisions and the inbox: people only (a process token gets 403); what a caller may not answer does not exist (404). */
export function decisionRoutes(s: Services) {
  const tags = ["decisions"];
  return new Hono<AppEnv>()
    .get(
      "/decisions",
      documented({ summary: "Decisions you may answer, newest first", tags, ok: { 200: DecisionPage }, errors: [403] }),
      validate("query", DecisionListQuery, "decision query"),
      (c) => {
        const user = requireUser(c);
        const { rows, nextCursor } = s.decisionStore.list(c.req.valid("query"), s.decisions.viewerOf(user));
        return c.json({ decisions: rows.map(toDecision), nextCursor } satisfies DecisionPage, 200);
      },
    )
    .get("/decisions/:id", documented({ summary: "One decision", tags, ok: { 200: Decision }, errors: [403, 404] }), (c) =>
      c.json(s.decisions.find(requireUser(c), c.req.param("id")), 200),
    )
    .post(
      "/decisions/:id/answer",
      documented({
        summary: "Answer a pending decision: allow (maybe edited, maybe always), deny with a message, or answer a question",
        tags,
        ok: { 200: Decision },
        errors: [403, 404, 409, 413, 415, 503],
      }),
      validate("json", AnswerDecisionRequest, "answer"),
      async (c) => {
        const user = requireUser(c);
        return c.json(await s.decisions.answer(user, c.req.param("id"), c.req.valid("json")), 200);
      },
    )
    .get("/inbox", documented({ summary: "What waits for you: pending decisions and kontasks awaiting your input, newest first", tags, ok: { 200: Inbox }, errors: [403] }), (c) => {
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

