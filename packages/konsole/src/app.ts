import { upgradeWebSocket } from "@hono/node-server";
import { contractRoutes, documented, validate } from "@kon/openapi";
import {
  API_SECURITY_HEADERS,
  AdoptConversationRequest,
  ApiError,
  Health,
  HotConfigRequest,
  PermissionAnswer,
  HotStatus,
  KonsoleSession,
  SessionId,
  StartTurnRequest,
  Turn,
  TurnAccepted,
  TurnEventsPage,
  TurnEventsQuery,
  TurnId,
  validationError,
  type ErrorBody,
  type KonsoleServerFrame,
  type TurnMode,
} from "@kon/protocol";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { claudeCredentialsOf } from "./claude/credentials.ts";
import type { Registry } from "prom-client";
import type { KonsoleConfig } from "./config.ts";
import type { KonsoleBus } from "./events/bus.ts";
import { JournalStream } from "./http/journal-stream.ts";
import { requestIds } from "@kon/openapi";
import { requireServiceToken } from "./http/service-token.ts";
import type { TurnJournal } from "./journal/turn-journal.ts";
import type { Logger } from "./logger.ts";
import { serveMetrics } from "./metrics/routes.ts";
import { observerRoutes, type ObserverRouteDeps } from "./observer/routes.ts";
import type { Supervisor } from "./supervisor/supervisor.ts";
import { KONSOLE_VERSION } from "./version.ts";

export interface AppDeps {
  config: KonsoleConfig;
  supervisor: Supervisor;
  journal: TurnJournal;
  logger: Logger;
  observer: ObserverRouteDeps;
  bus: KonsoleBus;
  metrics: Registry;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How long a replay waits for a slow journal socket to drain before it is closed. */
const STREAM_DRAIN_TIMEOUT_MS = 30_000;

/** Bytes a WebSocket has queued and not yet written (the `ws` socket under Hono's context). */
const bufferedBytesOf = (raw: unknown): number => (raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0;
const RequestId = z.string().min(1).max(200);
const WaitQuery = z.object({ wait: z.enum(["true", "false", "1", "0"]).optional() });
const SessionPath = z.object({ sessionId: SessionId });
const TurnPath = z.object({ turnId: TurnId });
const PermissionPath = z.object({ turnId: TurnId, requestId: RequestId });

const API_INFO = {
  title: "konsole",
  version: KONSOLE_VERSION,
  description: "The supervisor's API, for konui and operators: turns, hot prompts, sessions, the journal, the hot pool, the host observer.",
  tokenDescription: "The service token (KONSOLE_SERVICE_TOKEN) shared with konui.",
};

export function createApp({ config, supervisor, journal, logger, observer, bus, metrics }: AppDeps) {
  const startedAt = Date.now();
  const startTurn = async (
    c: Context,
    sessionId: string,
    wait: z.output<typeof WaitQuery>["wait"],
    params: z.output<typeof StartTurnRequest>,
    forcedMode?: TurnMode,
  ) => {
    const accepted = supervisor.startTurn(sessionId, forcedMode ? { ...params, mode: forcedMode } : params);
    if (wait === "true" || wait === "1") return c.json(await supervisor.waitForTurn(accepted.turn.id), 200);
    return c.json(accepted, 202);
  };
  const turnDoc = (summary: string) =>
    documented({ summary: `${summary}; ?wait=true answers 200 with the finished turn`, tags: ["turns"], ok: { 200: Turn, 202: TurnAccepted }, errors: [413, 415, 429, 503] });
  const streamLimits = { maxBufferedBytes: config.streamMaxBufferedBytes, drainTimeoutMs: STREAM_DRAIN_TIMEOUT_MS };
  const app = new Hono()
    .use("*", requestIds())
    .use("*", async (c, next) => {
      await next();
      // The docs page brings its own policy; everything else gets the API's.
      for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.header(name, value);
    });
  app.route("/", contractRoutes("", app, API_INFO));
  return app
    .get("/health", documented({ summary: "Liveness, version and the kind of Claude credentials", tags: ["health"], public: true, ok: { 200: Health } }), (c) => {
      const health: Health = {
        status: "ok",
        service: "konsole",
        version: KONSOLE_VERSION,
        uptimeSec: Math.round((Date.now() - startedAt) / 1000),
        credentials: claudeCredentialsOf(config.childEnv),
      };
      return c.json(health, 200);
    })
    .use("*", requireServiceToken(config.serviceToken))
    .use(
      "*",
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new ApiError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes`);
        },
      }),
    )
    .get("/metrics", documented({ summary: "Prometheus metrics (text exposition format)", tags: ["metrics"], ok: { 200: null } }), serveMetrics(metrics))
    .post(
      "/sessions/:sessionId/turns",
      turnDoc("Start a turn (queued behind the session's turns)"),
      validate("param", SessionPath, "session id"),
      validate("query", WaitQuery, "query"),
      validate("json", StartTurnRequest, "turn request"),
      (c) => startTurn(c, c.req.valid("param").sessionId, c.req.valid("query").wait, c.req.valid("json")),
    )
    .post(
      "/sessions/:sessionId/hot-prompt",
      turnDoc("Start a hot turn: the session's claude process stays alive for the next one"),
      validate("param", SessionPath, "session id"),
      validate("query", WaitQuery, "query"),
      validate("json", StartTurnRequest, "turn request"),
      (c) => startTurn(c, c.req.valid("param").sessionId, c.req.valid("query").wait, c.req.valid("json"), "hot"),
    )
    .get("/hot/status", documented({ summary: "The hot process pool", tags: ["hot pool"], ok: { 200: HotStatus } }), (c) => c.json(supervisor.hotStatus(), 200))
    .put(
      "/hot/config",
      documented({ summary: "Set the pool's target size", tags: ["hot pool"], ok: { 200: HotStatus }, errors: [413, 415] }),
      validate("json", HotConfigRequest, "hot config"),
      (c) => c.json(supervisor.setHotPoolSize(c.req.valid("json").targetSize), 200),
    )
    .get(
      "/sessions/:sessionId",
      documented({ summary: "A session", tags: ["sessions"], ok: { 200: KonsoleSession }, errors: [404] }),
      validate("param", SessionPath, "session id"),
      (c) => c.json(supervisor.getSession(c.req.valid("param").sessionId), 200),
    )
    .get(
      "/sessions/:sessionId/turns",
      documented({ summary: "A session's turns", tags: ["sessions"], ok: { 200: z.object({ turns: z.array(Turn) }) } }),
      validate("param", SessionPath, "session id"),
      (c) => c.json({ turns: supervisor.listTurns(c.req.valid("param").sessionId) }, 200),
    )
    .post(
      "/sessions/:sessionId/adopt",
      documented({ summary: "Bind a session konsole has not run yet to an existing Claude conversation", tags: ["sessions"], ok: { 201: KonsoleSession }, errors: [404, 409, 413, 415] }),
      validate("param", SessionPath, "session id"),
      validate("json", AdoptConversationRequest, "adopt request"),
      async (c) => {
        const request = c.req.valid("json");
        const knownFiles = observer.queries.transcriptFiles(request.claudeSessionId);
        return c.json(await supervisor.adoptConversation(c.req.valid("param").sessionId, request, knownFiles), 201);
      },
    )
    .post(
      "/sessions/:sessionId/reset",
      documented({ summary: "Forget the Claude conversation and retire its process", tags: ["sessions"], ok: { 200: KonsoleSession }, errors: [404, 409] }),
      validate("param", SessionPath, "session id"),
      async (c) => c.json(await supervisor.resetSession(c.req.valid("param").sessionId), 200),
    )
    .delete(
      "/sessions/:sessionId",
      documented({ summary: "End a session: its turns stop, its process retires", tags: ["sessions"], ok: { 204: null }, errors: [404] }),
      validate("param", SessionPath, "session id"),
      async (c) => {
        await supervisor.endSession(c.req.valid("param").sessionId);
        return c.body(null, 204);
      },
    )
    .get(
      "/turns/:turnId",
      documented({ summary: "A turn", tags: ["turns"], ok: { 200: Turn }, errors: [404] }),
      validate("param", TurnPath, "turn id"),
      (c) => c.json(supervisor.getTurn(c.req.valid("param").turnId), 200),
    )
    .get(
      "/turns/:turnId/events",
      documented({ summary: "A page of the turn's journal entries after a sequence number", tags: ["turns"], ok: { 200: TurnEventsPage }, errors: [404] }),
      validate("param", TurnPath, "turn id"),
      validate("query", TurnEventsQuery, "query"),
      (c) => {
        const { turnId } = c.req.valid("param");
        const query = c.req.valid("query");
        supervisor.getTurn(turnId);
        const entries = journal.turnEntries(turnId, query.after, query.limit);
        const page: TurnEventsPage = { entries, nextSeq: entries.at(-1)?.seq ?? query.after };
        return c.json(page, 200);
      },
    )
    .post(
      "/turns/:turnId/interrupt",
      documented({ summary: "Interrupt a turn; answers once it has ended", tags: ["turns"], ok: { 200: Turn }, errors: [404, 409] }),
      validate("param", TurnPath, "turn id"),
      async (c) => c.json(await supervisor.interruptTurn(c.req.valid("param").turnId), 200),
    )
    .post(
      "/turns/:turnId/permissions/:requestId",
      documented({ summary: "Answer a tool permission request the turn waits on", tags: ["turns"], ok: { 204: null }, errors: [404, 413, 415] }),
      validate("param", PermissionPath, "turn and request id"),
      validate("json", PermissionAnswer, "permission answer"),
      (c) => {
        const { turnId, requestId } = c.req.valid("param");
        supervisor.answerPermission(turnId, requestId, c.req.valid("json"));
        return c.body(null, 204);
      },
    )
    .route("/observer", observerRoutes(observer))
    .get(
      "/ws",
      documented({ summary: "The journal stream (WebSocket): KonsoleClientFrame in, KonsoleServerFrame out", tags: ["journal"], ok: { 101: null } }),
      upgradeWebSocket(() => {
        let stream: JournalStream | null = null;
        return {
          onOpen: (_event, ws) => {
            const sink = {
              send: (frame: KonsoleServerFrame) => ws.send(JSON.stringify(frame)),
              bufferedBytes: () => bufferedBytesOf(ws.raw),
              close: (code: number, reason: string) => ws.close(code, reason),
            };
            stream = new JournalStream(journal, sink, streamLimits, bus);
          },
          onMessage: (event) => {
            stream?.handle(typeof event.data === "string" ? event.data : Buffer.from(event.data as ArrayBuffer).toString("utf8"));
          },
          onClose: () => stream?.close(),
          onError: () => stream?.close(),
        };
      }),
    )
    .onError((error, c) => {
      if (error instanceof ApiError) return c.json(error.toBody(), error.status);
      if (error instanceof z.ZodError) return c.json(validationError(error).toBody(), 400);
      logger.error({ err: error, path: c.req.path }, "unhandled error");
      const body: ErrorBody = { error: { code: "internal", message: "Internal error" } };
      return c.json(body, 500);
    })
    .notFound((c) => {
      const body: ErrorBody = { error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}` } };
      return c.json(body, 404);
    });
}

export type KonsoleApp = ReturnType<typeof createApp>;
