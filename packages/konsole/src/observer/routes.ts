import { documented, validate } from "@kon/openapi";
import {
  ApiError,
  ObservedSessionDetail,
  ObservedSessionPage,
  ObservedUsageReport,
  ObserverBlocksQuery,
  ObserverSessionsQuery,
  ObserverStatus,
  ObserverUsageQuery,
  UsageBlocksReport,
} from "@kon/protocol";
import { Hono } from "hono";
import type { HostObserver } from "./host-observer.ts";
import type { ObserverQueries } from "./observer-queries.ts";

export interface ObserverRouteDeps {
  observer: HostObserver;
  queries: ObserverQueries;
}

/** `/observer/*`: the host's Claude sessions and usage, as the observer indexed them. */
export function observerRoutes({ observer, queries }: ObserverRouteDeps) {
  const tags = ["host observer"];
  return new Hono()
    .get(
      "/sessions",
      documented({ summary: "The host's Claude sessions, newest first", tags, ok: { 200: ObservedSessionPage } }),
      validate("query", ObserverSessionsQuery, "query"),
      (c) => c.json(queries.list(c.req.valid("query")), 200),
    )
    .get("/sessions/:id", documented({ summary: "One observed session", tags, ok: { 200: ObservedSessionDetail }, errors: [404] }), (c) => {
      const id = c.req.param("id");
      const detail = queries.detail(id);
      if (!detail) throw new ApiError("not_found", `No observed session ${id}`);
      return c.json(detail, 200);
    })
    .get(
      "/usage",
      documented({ summary: "Observed usage grouped by hour, day, project, model or session", tags, ok: { 200: ObservedUsageReport } }),
      validate("query", ObserverUsageQuery, "query"),
      (c) => c.json(queries.usage(c.req.valid("query")), 200),
    )
    .get(
      "/blocks",
      documented({ summary: "Usage in 5-hour blocks", tags, ok: { 200: UsageBlocksReport } }),
      validate("query", ObserverBlocksQuery, "query"),
      (c) => {
        const { since, sessions } = c.req.valid("query");
        return c.json(queries.blocks(since, Date.now(), sessions), 200);
      },
    )
    .get("/status", documented({ summary: "What the observer watches and when it last scanned", tags, ok: { 200: ObserverStatus } }), (c) =>
      c.json(queries.status([...observer.roots], observer.lastScanAt), 200),
    );
}
