import {
  AdoptHostSessionRequest,
  ApiError,
  HostBlocksQuery,
  HostSessionsQuery,
  HostUsageQuery,
  type ObservedUsage,
} from "@kon/protocol";
import { Hono } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import { readJson, readQuery } from "../http/body.ts";
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
  return new Hono<AppEnv>()
    .get("/host/sessions", async (c) => {
      const visible = s.hostAccess.visibleTo(requireUser(c));
      const query = readQuery(c, HostSessionsQuery, "host sessions query");
      if (visible?.length === 0) return c.json({ sessions: [], total: 0, nextOffset: null }, 200);
      return c.json(await s.konsole.observerSessions({ ...query, sessions: visible }), 200);
    })
    .get("/host/sessions/:id", async (c) => {
      const id = c.req.param("id");
      if (!s.hostAccess.maySee(requireUser(c), id)) throw new ApiError("not_found", `No host session ${id}`);
      return c.json(await s.konsole.observerSession(id), 200);
    })
    .get("/host/usage", async (c) => {
      const visible = s.hostAccess.visibleTo(requireUser(c));
      const query = readQuery(c, HostUsageQuery, "host usage query");
      if (visible?.length === 0) {
        return c.json({ groupBy: query.groupBy, since: query.since ?? null, until: query.until ?? null, rows: [], totals: noUsage() }, 200);
      }
      return c.json(await s.konsole.observerUsage({ ...query, sessions: visible }), 200);
    })
    .get("/host/blocks", async (c) => {
      const visible = s.hostAccess.visibleTo(requireUser(c));
      const query = readQuery(c, HostBlocksQuery, "usage blocks query");
      if (visible?.length === 0) return c.json({ blocks: [] }, 200);
      return c.json(await s.konsole.observerBlocks({ ...query, sessions: visible }), 200);
    })
    .get("/host/status", async (c) => {
      requireAdmin(c);
      return c.json(await s.konsole.observerStatus(), 200);
    })
    .post("/host/sessions/:id/adopt", async (c) => {
      const user = requireUser(c);
      const id = c.req.param("id");
      if (!s.hostAccess.maySee(user, id)) throw new ApiError("not_found", `No host session ${id}`);
      const { agent, title } = await readJson(c, AdoptHostSessionRequest, "adopt request");
      if (!s.flags.isEnabled("session_tab_enabled", agent)) throw new ApiError("not_found", "Sessions are not enabled for this agent");
      const session = await s.hostAdoption.adopt(user, id, agent, title);
      return c.json(session, 201);
    });
}
