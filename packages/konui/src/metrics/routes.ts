import { createHash, timingSafeEqual } from "node:crypto";
import { documented } from "@kon/openapi";
import { ApiError } from "@kon/protocol";
import { Hono } from "hono";
import type { Registry } from "prom-client";
import { bearerToken, type Authenticator } from "../auth/guard.ts";

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/**
 * `GET /metrics` in Prometheus' text format, for the metrics token (KONUI_METRICS_TOKEN, what
 * Prometheus sends) or an admin's access token. Without a metrics token set, only admins.
 */
export function metricsRoutes(registry: Registry, metricsToken: string | undefined, authenticator: Authenticator) {
  const expected = metricsToken === undefined ? undefined : digest(metricsToken);
  return new Hono().get(
    "/metrics",
    documented({ summary: "Prometheus metrics (text exposition format)", tags: ["metrics"], ok: { 200: "text/plain" }, errors: [403] }),
    async (c) => {
    const given = bearerToken(c.req.header("authorization"));
    if (given === undefined) throw new ApiError("unauthorized", "Send Authorization: Bearer <KONUI_METRICS_TOKEN or an admin's access token>");
    const isMetricsToken = expected !== undefined && timingSafeEqual(digest(given), expected);
    if (!isMetricsToken) {
      const principal = await authenticator.principalOf(given);
      if (principal.kind !== "user" || principal.user.role !== "admin") throw new ApiError("forbidden", "Metrics are for the metrics token or admins");
    }
    return c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
    },
  );
}
