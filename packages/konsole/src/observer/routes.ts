import { ApiError, ObserverBlocksQuery, ObserverSessionsQuery, ObserverUsageQuery, validationError } from "@kon/protocol";
import { Hono } from "hono";
import type { z } from "zod";
import type { HostObserver } from "./host-observer.ts";
import type { ObserverQueries } from "./observer-queries.ts";

export interface ObserverRouteDeps {
  observer: HostObserver;
  queries: ObserverQueries;
}

function parseQuery<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, "query");
  return parsed.data;
}

/** `/observer/*`: the host's Claude sessions and usage, as the observer indexed them. */
export function observerRoutes({ observer, queries }: ObserverRouteDeps) {
  return new Hono()
    .get("/sessions", (c) => c.json(queries.list(parseQuery(ObserverSessionsQuery, c.req.query())), 200))
    .get("/sessions/:id", (c) => {
      const id = c.req.param("id");
      const detail = queries.detail(id);
      if (!detail) throw new ApiError("not_found", `No observed session ${id}`);
      return c.json(detail, 200);
    })
    .get("/usage", (c) => c.json(queries.usage(parseQuery(ObserverUsageQuery, c.req.query())), 200))
    .get("/blocks", (c) => {
      const { since, sessions } = parseQuery(ObserverBlocksQuery, c.req.query());
      return c.json(queries.blocks(since, Date.now(), sessions), 200);
    })
    .get("/status", (c) => c.json(queries.status([...observer.roots], observer.lastScanAt), 200));
}
