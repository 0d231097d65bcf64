import { documented, validate } from "@kon/openapi";
import {
  AdoptHostSessionRequest,
  AgentSession,
  ObservedSessionDetail,
  ObservedSessionPage,
  ObservedUsageReport,
  ObserverStatus,
  UsageBlocksReport,
  ApiError,
  HostBlocksQuery,
  HostSessionsQuery,
  HostUsageQuery,
  type ObservedUsage,
} from "@kon/protocol";
import { Hono } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

const noUsage = (): ObservedUsage => ({
  tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
  costUsd: 0,
  messages: 0,
  unpricedMessages: 0,
});

/**
 * `/api/host/*`: the host's Claude sessions as konsole's observer indexed them. Admins see the
 * whole host; a plain user the conversations of their own agent sessions (HostAccess);
 * process tokens nothing.
 */
export function hostRoutes(s: Services) {
  const tags = ["host"];
  return new Hono<AppEnv>()
    .get(
      "/host/sessions",
      documented({ summary: "The host's Claude sessions you may see, newest first", tags, ok: { 200: ObservedSessionPage }, errors: [403, 503] }),
      validate("query", HostSessionsQuery, "host sessions query"),
      async (c) => {
        const visible = s.hostAccess.visibleTo(requireUser(c));
        const query = c.req.valid("query");
        if (visible?.length === 0) return c.json({ sessions: [], total: 0, nextOffset: null }, 200);
        return c.json(await s.konsole.observerSessions({ ...query, sessions: visible }), 200);
      },
    )
    .get("/host/sessions/:id", documented({ summary: "One host session with files changed and a usage series", tags, ok: { 200: ObservedSessionDetail }, errors: [403, 404, 503] }), async (c) => {
      const id = c.req.param("id");
      if (!s.hostAccess.maySee(requireUser(c), id)) throw new ApiError("not_found", `No host session ${id}`);
      return c.json(await s.konsole.observerSession(id), 200);
    })
    .get(
      "/host/usage",
      documented({ summary: "Host usage grouped by hour, day, project, model or session", tags, ok: { 200: ObservedUsageReport }, errors: [403, 503] }),
      validate("query", HostUsageQuery, "host usage query"),
      async (c) => {
        const visible = s.hostAccess.visibleTo(requireUser(c));
        const query = c.req.valid("query");
        if (visible?.length === 0) {
          return c.json({ groupBy: query.groupBy, since: query.since ?? null, until: query.until ?? null, rows: [], totals: noUsage() }, 200);
        }
        return c.json(await s.konsole.observerUsage({ ...query, sessions: visible }), 200);
      },
    )
    .get(
      "/host/blocks",
      documented({ summary: "Host usage in 5-hour blocks with burn rate and projection", tags, ok: { 200: UsageBlocksReport }, errors: [403, 503] }),
      validate("query", HostBlocksQuery, "usage blocks query"),
      async (c) => {
        const visible = s.hostAccess.visibleTo(requireUser(c));
        const query = c.req.valid("query");
        if (visible?.length === 0) return c.json({ blocks: [] }, 200);
        return c.json(await s.konsole.observerBlocks({ ...query, sessions: visible }), 200);
      },
    )
    .get("/host/status", documented({ summary: "What the observer watches (admins)", tags, ok: { 200: ObserverStatus }, errors: [403, 503] }), async (c) => {
      requireAdmin(c);
      return c.json(await s.konsole.observerStatus(), 200);
    })
    .post(
      "/host/sessions/:id/adopt",
      documented({ summary: "Continue here: a new agent session that resumes this host session", tags, ok: { 201: AgentSession }, errors: [403, 404, 409, 413, 415, 503] }),
      validate("json", AdoptHostSessionRequest, "adopt request"),
      async (c) => {
        const user = requireUser(c);
        const id = c.req.param("id");
        if (!s.hostAccess.maySee(user, id)) throw new ApiError("not_found", `No host session ${id}`);
        const { agent, title } = c.req.valid("json");
        if (!s.flags.isEnabled("session_tab_enabled", agent)) throw new ApiError("not_found", "Sessions are not enabled for this agent");
        const session = await s.hostAdoption.adopt(user, id, agent, title);
        return c.json(session, 201);
      },
    );
}
