import { Hono, type Context } from "hono";
import type { Registry } from "prom-client";

/** `GET /metrics` in Prometheus' text format. */
export function serveMetrics(registry: Registry) {
  return async (c: Context) => c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
}

/** The app of the metrics port: `/metrics` and nothing else, no token (bind it where only Prometheus reaches). */
export function metricsOnlyApp(registry: Registry) {
  const app = new Hono().get("/metrics", serveMetrics(registry));
  app.notFound((c) => c.json({ error: { code: "not_found", message: "Only GET /metrics is served here" } }, 404));
  return app;
}
