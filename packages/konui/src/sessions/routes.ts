import fs from "node:fs/promises";
import {
  AgentName,
  ApiError,
  ContinueTurnRequest,
  CreateAgentSessionRequest,
  MessagePageQuery,
  SendMessageQuery,
  UpdateAgentSessionRequest,
  UpdateGuardrailsRequest,
  type SendMessageAccepted,
  type SendMessageResult,
} from "@kon/protocol";
import { Hono, type Context } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import { parseWith, readJson, readQuery } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { readSendInput } from "./send-body.ts";

const agentOf = (c: Context<AppEnv>): string => parseWith(AgentName, c.req.param("name"), "agent name");

/** The Session tab API, per agent name, caller-scoped; all of it 404s while the flag is off. */
export function sessionRoutes(s: Services) {
  return new Hono<AppEnv>()
    .use("/agents/:name/*", async (c, next) => {
      const agent = agentOf(c);
      if (!s.flags.isEnabled("session_tab_enabled", agent)) throw new ApiError("not_found", "Sessions are not enabled for this agent");
      await next();
    })
    .post("/agents/:name/session", async (c) => {
      const user = requireUser(c);
      const { title } = await readJson(c, CreateAgentSessionRequest, "session");
      const session = s.sessions.create(agentOf(c), user.id, title, s.config.maxSessionsPerUser);
      s.sessionFrames.publish("created", session, session.hot);
      return c.json(session, 201);
    })
    .get("/agents/:name/sessions", async (c) => {
      const agent = agentOf(c);
      return c.json({ sessions: s.sessions.list(agent, c.get("principal"), await s.hotSessions.sessionIds()) }, 200);
    })
    .get("/agents/:name/sessions/:id", async (c) => {
      const row = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "read");
      return c.json(s.sessions.withMessages(row, await s.hotSessions.isHot(row.id)), 200);
    })
    .patch("/agents/:name/sessions/:id", async (c) => {
      const row = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      const { title } = await readJson(c, UpdateAgentSessionRequest, "session change");
      const renamed = s.sessions.rename(row.id, title);
      if (!renamed) throw new ApiError("not_found", "No such session");
      const session = s.sessions.present(renamed, await s.hotSessions.isHot(row.id));
      s.sessionFrames.publish("updated", session, session.hot);
      return c.json(session, 200);
    })
    .get("/agents/:name/sessions/:id/messages", (c) => {
      const row = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "read");
      return c.json(s.messagePages.page(row.id, readQuery(c, MessagePageQuery, "message page query")), 200);
    })
    .post("/agents/:name/sessions/:id/message", async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      const query = readQuery(c, SendMessageQuery, "send query");
      const input = await readSendInput(c);
      const started = await s.sender.start(session, input);
      if (query.async === "true") {
        return c.json(started satisfies SendMessageAccepted, 202);
      }
      const limits = s.guardrails.get(session.agent);
      const message = await s.sender.wait(started.turnId, (limits.execution_timeout_sec + 60) * 1000);
      return c.json({ turnId: started.turnId, userMessage: started.userMessage, message } satisfies SendMessageResult, 200);
    })
    .get("/agents/:name/sessions/:id/turns/:turnId", async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "read");
      return c.json(await s.sender.describe(session, c.req.param("turnId")), 200);
    })
    .post("/agents/:name/sessions/:id/turns/:turnId/interrupt", async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      const turn = await s.sender.describe(session, c.req.param("turnId"));
      if (turn.status === "queued" || turn.status === "running") await s.konsole.interruptTurn(turn.id);
      return c.body(null, 202);
    })
    .post("/agents/:name/sessions/:id/turns/:turnId/continue", async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      const { maxTurns } = await readJson(c, ContinueTurnRequest, "continue request");
      const started = await s.sender.continueAfterCap(session, c.req.param("turnId"), maxTurns);
      return c.json(started satisfies SendMessageAccepted, 202);
    })
    .post("/agents/:name/sessions/:id/reset", async (c) => {
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
    .delete("/agents/:name/sessions/:id", async (c) => {
      const session = s.sessions.authorize(agentOf(c), c.req.param("id"), c.get("principal"), "write");
      await s.konsole.deleteSession(session.id);
      const gone = s.sessions.present(session, false);
      s.sessions.delete(session.id);
      s.sessionFrames.publish("deleted", gone, false);
      s.processTokens.revokeSession(session.id);
      await fs.rm(s.sender.uploadsDir(session.id), { recursive: true, force: true });
      return c.body(null, 204);
    })
    .get("/agents/:name/guardrails", (c) => {
      requireUser(c);
      return c.json(s.guardrails.get(agentOf(c)), 200);
    })
    .put("/agents/:name/guardrails", async (c) => {
      requireAdmin(c);
      const change = await readJson(c, UpdateGuardrailsRequest, "guardrails");
      return c.json(s.guardrails.update(agentOf(c), change), 200);
    });
}
