import { contractRoutes, documented } from "@kon/openapi";
import { API_SECURITY_HEADERS, Health } from "@kon/protocol";
import { Hono } from "hono";
import { browserLoginRoutes } from "./auth/browser-login-routes.ts";
import { authenticate } from "./auth/guard.ts";
import { internalRoutes } from "./auth/internal-routes.ts";
import { loginRoutes } from "./auth/login-routes.ts";
import { userRoutes } from "./auth/user-routes.ts";
import { dashboardRoutes } from "./dashboard/routes.ts";
import { policyRoutes } from "./decisions/policy-routes.ts";
import { decisionRoutes } from "./decisions/routes.ts";
import { limitBodies } from "./http/body-limit.ts";
import { hostRoutes } from "./host/routes.ts";
import { errorHandler, notFoundHandler } from "./http/errors.ts";
import { requestIds } from "@kon/openapi";
import type { AppEnv } from "./http/context.ts";
import { konsoleRoutes } from "./konsole/routes.ts";
import { kontaskRoutes } from "./kontasks/routes.ts";
import { liveRoutes } from "./live/routes.ts";
import { metricsRoutes } from "./metrics/routes.ts";
import { flagRoutes } from "./sessions/flag-routes.ts";
import { sessionRoutes } from "./sessions/routes.ts";
import { budgetRoutes } from "./budgets/routes.ts";
import { usageRoutes } from "./usage/routes.ts";
import { createServices, type ServiceDeps, type Services } from "./services.ts";
import { VERSION } from "./version.ts";

export type AppDeps = ServiceDeps;

const API_INFO = {
  title: "konui",
  version: VERSION,
  description: "The gateway's public API: logins and tokens, users, kontasks, agent sessions and their messages, guardrails, flags, usage.",
  tokenDescription: "An access token from POST /api/token or /api/auth/login, or a Claude process token (KONUI_TOKEN); /internal/* takes konsole's service token.",
};

/** Builds konui's HTTP app over its dependencies; listening is someone else's job. */
export function createApp(deps: AppDeps) {
  const services = createServices(deps);
  const app = buildRoutes(services);
  return { app, services };
}

function buildRoutes(s: Services) {
  const startedAt = s.now();
  const api = new Hono<AppEnv>()
    .use("*", authenticate(s.authenticator))
    .route("/", userRoutes(s))
    .route("/", kontaskRoutes(s))
    .route("/", sessionRoutes(s))
    .route("/", flagRoutes(s))
    .route("/", usageRoutes(s))
    .route("/", budgetRoutes(s))
    .route("/", decisionRoutes(s))
    .route("/", policyRoutes(s))
    .route("/", konsoleRoutes(s))
    .route("/", hostRoutes(s));

  const app = new Hono()
    .use("*", requestIds())
    .use("*", async (c, next) => {
      await next();
      // Dashboard and docs pages bring their own policy; everything else gets the API's.
      for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.header(name, value);
    })
    .use("*", limitBodies(s.config));
  app.route("/api", contractRoutes("/api", app, API_INFO));
  return app
    .get("/health", documented({ summary: "Liveness and version", tags: ["health"], public: true, ok: { 200: Health } }), (c) =>
      c.json({ status: "ok", service: "konui", version: VERSION, uptimeSec: (s.now() - startedAt) / 1000 } satisfies Health, 200),
    )
    .route("/", metricsRoutes(s.metrics, s.config.metricsToken, s.authenticator))
    .route("/", loginRoutes(s))
    .route("/", browserLoginRoutes(s))
    .route("/", liveRoutes(s))
    .route("/internal", internalRoutes(s))
    .route("/api", api)
    .route("/", dashboardRoutes(s.config.dashboardDir))
    .onError(errorHandler(s.logger))
    .notFound(notFoundHandler);
}

export type KonuiApp = ReturnType<typeof buildRoutes>;
