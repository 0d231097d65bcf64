import fs from "node:fs/promises";
import { documented, validate } from "@kon/openapi";
import {
  AgentName,
  AgentSession,
  AgentSessionList,
  AgentSessionWithMessages,
  AgentTurn,
  ApiError,
  ContinueTurnRequest,
  CreateAgentSessionRequest,
  Guardrails,
  MessagePage,
  MessagePageQuery,
  SendMessageAccepted,
  SendMessageQuery,
  SendMessageResult,
  UpdateAgentSessionRequest,
  UpdateGuardrailsRequest,
} from "@kon/protocol";
import { Hono, type Context } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import { parseWith } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { sendInput } from "./send-body.ts";

const agentOf = (c: Context<AppEnv>): string => parseWith(AgentName, c.req.param("name"), "agent name");

/** The Session tab API, per agent name, caller-scoped; all of it 404s while the flag is off. */
export function sessionRoutes(s: Services) {
  const tags = ["sessions"];
  return new Hono<AppEnv>()
    .use("/agents/:name/*", async (c, next) => {
      const agent = agentOf(c);
      if (!s.flags.isEnabled("session_tab_enabled", agent)) throw new ApiError("not_found", "Sessions are not enabled for this agent");
      await next();
    })
    .post(
      "/agents/:name/session",
      documented({ summary: "Start an agent session (empty, zero cost)", tags, ok: { 201: AgentSession }, errors: [400, 403, 404, 409, 413, 415] }),
      validate("json", CreateAgentSessionRequest, "session"),
      async (c) => {
        const user = requireUser(c);
        const { title } = c.req.valid("json");
        const session = s.sessions.create(agentOf(c), user.id, title, s.config.maxSessionsPerUser);
        s.sessionFrames.publish("created", session, session.hot);
        return c.json(session, 201);
      },
    )
    .get("/agents/:name/sessions", documented({ summary: "List the caller's sessions of an agent", tags, ok: { 200: AgentSessionList }, errors: [400, 404] }), async (c) => {
      const agent = agentOf(c);
      return c.json({ sessions: s.sessions.list(agent, c.get("principal"), await s.hotSessions.sessionIds()) }, 200);
    })
    .get("/agents/:name/sessions/:id", documented({ summary: "A session with all its messages", tags, ok: { 200: AgentSessionWithMessages }, errors: [400, 404] }), async (c) => {
      const row = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "read");
      return c.json(s.sessions.withMessages(row, await s.hotSessions.isHot(row.id)), 200);
    })
    .patch(
      "/agents/:name/sessions/:id",
      documented({ summary: "Rename a session (null clears the title)", tags, ok: { 200: AgentSession }, errors: [400, 403, 404, 413, 415] }),
      validate("json", UpdateAgentSessionRequest, "session change"),
      async (c) => {
        const row = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
        const { title } = c.req.valid("json");
        const renamed = s.sessions.rename(row.id, title);
        if (!renamed) throw new ApiError("not_found", "No such session");
        const session = s.sessions.present(renamed, await s.hotSessions.isHot(row.id));
        s.sessionFrames.publish("updated", session, session.hot);
        return c.json(session, 200);
      },
    )
    .get(
      "/agents/:name/sessions/:id/messages",
      documented({ summary: "A page of messages, newest page first, oldest message first", tags, ok: { 200: MessagePage }, errors: [400, 404] }),
      validate("query", MessagePageQuery, "message page query"),
      (c) => {
        const row = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "read");
        return c.json(s.messagePages.page(row.id, c.req.valid("query")), 200);
      },
    )
    .post(
      "/agents/:name/sessions/:id/message",
      documented({
        summary: "Send a message: 200 with the reply once the turn is over, or 202 at once with ?async=true",
        tags,
        ok: { 200: SendMessageResult, 202: SendMessageAccepted },
        errors: [400, 403, 404, 413, 415, 429, 503],
      }),
      validate("query", SendMessageQuery, "send query"),
      sendInput(),
      async (c) => {
        const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
        const query = c.req.valid("query");
        const input = c.req.valid("form");
        const started = await s.sender.start(session, input);
        if (query.async === "true") {
          return c.json(started satisfies SendMessageAccepted, 202);
        }
        const limits = s.guardrails.get(session.agent);
        const message = await s.sender.wait(started.turnId, (limits.execution_timeout_sec + 60) * 1000);
        return c.json({ turnId: started.turnId, userMessage: started.userMessage, message } satisfies SendMessageResult, 200);
      },
    )
    .get("/agents/:name/sessions/:id/turns/:turnId", documented({ summary: "A turn: its status, messages and the reply so far", tags, ok: { 200: AgentTurn }, errors: [400, 404] }), async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "read");
      return c.json(await s.sender.describe(session, c.req.param("turnId")), 200);
    })
    .post("/agents/:name/sessions/:id/turns/:turnId/interrupt", documented({ summary: "Interrupt a queued or running turn", tags, ok: { 202: null }, errors: [400, 403, 404, 409, 503] }), async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      const turn = await s.sender.describe(session, c.req.param("turnId"));
      if (turn.status === "queued" || turn.status === "running") await s.konsole.interruptTurn(turn.id);
      return c.body(null, 202);
    })
    .post(
      "/agents/:name/sessions/:id/turns/:turnId/continue",
      documented({ summary: "Continue a turn that failed on its turn limit for N more turns, in the same conversation", tags, ok: { 202: SendMessageAccepted }, errors: [400, 402, 403, 404, 409, 503] }),
      validate("json", ContinueTurnRequest, "continue request"),
      async (c) => {
        const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
        const started = await s.sender.continueAfterCap(session, c.req.param("turnId"), c.req.valid("json").maxTurns);
        return c.json(started satisfies SendMessageAccepted, 202);
      },
    )
    .post("/agents/:name/sessions/:id/reset", documented({ summary: "Forget the Claude conversation, keep the log", tags, ok: { 200: AgentSession }, errors: [400, 403, 404, 503] }), async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      const requestedAt = s.now();
      await s.konsole.resetSession(session.id);
      const reset = s.sessions.resetMemory(session.id);
      if (!reset) throw new ApiError("not_found", "No such session");
      // konsole retires the old process and revokes its token once it has exited; refuse it now.
      // A process bound after the request (a send racing the reset) keeps its token.
      s.processTokens.revokeSession(session.id, requestedAt);
      const presented = s.sessions.present(reset, await s.hotSessions.isHot(session.id));
      s.sessionFrames.publish("updated", presented, presented.hot);
      return c.json(presented, 200);
    })
    .delete("/agents/:name/sessions/:id", documented({ summary: "Delete a session, its messages and uploads", tags, ok: { 204: null }, errors: [400, 403, 404, 503] }), async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      await s.konsole.deleteSession(session.id);
      const gone = s.sessions.present(session, false);
      s.sessions.delete(session.id);
      s.sessionFrames.publish("deleted", gone, false);
      s.processTokens.revokeSession(session.id);
      await fs.rm(s.sender.uploadsDir(session.id), { recursive: true, force: true });
      return c.body(null, 204);
    })
    .get("/agents/:name/guardrails", documented({ summary: "An agent's guardrails", tags: ["guardrails"], ok: { 200: Guardrails }, errors: [400, 403, 404] }), (c) => {
      requireUser(c);
      return c.json(s.guardrails.get(agentOf(c)), 200);
    })
    .put(
      "/agents/:name/guardrails",
      documented({ summary: "Change an agent's guardrails (admin)", tags: ["guardrails"], ok: { 200: Guardrails }, errors: [400, 403, 404, 413, 415] }),
      validate("json", UpdateGuardrailsRequest, "guardrails"),
      (c) => {
        requireAdmin(c);
        return c.json(s.guardrails.update(agentOf(c), c.req.valid("json")), 200);
      },
    );
}
