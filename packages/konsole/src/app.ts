import { upgradeWebSocket } from "@hono/node-server";
import {
  API_SECURITY_HEADERS,
  AdoptConversationRequest,
  ApiError,
  HotConfigRequest,
  PermissionAnswer,
  SessionId,
  StartTurnRequest,
  TurnEventsQuery,
  TurnId,
  validationError,
  type ErrorBody,
  type Health,
  type KonsoleServerFrame,
  type TurnEventsPage,
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
import { requestIds } from "./http/request-context.ts";
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

function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, what);
  return parsed.data;
}

async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new ApiError("unsupported_media_type", "Send the body as application/json");
  try {
    return await c.req.json();
  } catch {
    throw new ApiError("bad_request", "The body is not valid JSON");
  }
}

const sessionIdOf = (c: Context): string => parseWith(SessionId, c.req.param("sessionId"), "session id");
const turnIdOf = (c: Context): string => parseWith(TurnId, c.req.param("turnId"), "turn id");

export function createApp({ config, supervisor, journal, logger, observer, bus, metrics }: AppDeps) {
  const startedAt = Date.now();
  /** `?wait=true` answers with the finished turn instead of 202 at once. */
  const startTurn = async (c: Context, forcedMode?: TurnMode) => {
    const sessionId = sessionIdOf(c);
    const { wait } = parseWith(WaitQuery, c.req.query(), "query");
    const params = parseWith(StartTurnRequest, await jsonBody(c), "turn request");
    const accepted = supervisor.startTurn(sessionId, forcedMode ? { ...params, mode: forcedMode } : params);
    if (wait === "true" || wait === "1") return c.json(await supervisor.waitForTurn(accepted.turn.id), 200);
    return c.json(accepted, 202);
  };
  const streamLimits = { maxBufferedBytes: config.streamMaxBufferedBytes, drainTimeoutMs: STREAM_DRAIN_TIMEOUT_MS };
  const app = new Hono()
    .use("*", requestIds())
    .use("*", async (c, next) => {
      await next();
      for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) c.header(name, value);
    })
    .get("/health", (c) => {
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
    .get("/metrics", serveMetrics(metrics))
    .post("/sessions/:sessionId/turns", (c) => startTurn(c))
    .post("/sessions/:sessionId/hot-prompt", (c) => startTurn(c, "hot"))
    .get("/hot/status", (c) => c.json(supervisor.hotStatus(), 200))
    .put("/hot/config", async (c) => {
      const { targetSize } = parseWith(HotConfigRequest, await jsonBody(c), "hot config");
      return c.json(supervisor.setHotPoolSize(targetSize), 200);
    })
    .get("/sessions/:sessionId", (c) => c.json(supervisor.getSession(sessionIdOf(c)), 200))
    .get("/sessions/:sessionId/turns", (c) => c.json({ turns: supervisor.listTurns(sessionIdOf(c)) }, 200))
    .post("/sessions/:sessionId/adopt", async (c) => {
      const sessionId = sessionIdOf(c);
      const request = parseWith(AdoptConversationRequest, await jsonBody(c), "adopt request");
      const knownFiles = observer.queries.transcriptFiles(request.claudeSessionId);
      return c.json(await supervisor.adoptConversation(sessionId, request, knownFiles), 201);
    })
    .post("/sessions/:sessionId/reset", async (c) => c.json(await supervisor.resetSession(sessionIdOf(c)), 200))
    .delete("/sessions/:sessionId", async (c) => {
      await supervisor.endSession(sessionIdOf(c));
      return c.body(null, 204);
    })
    .get("/turns/:turnId", (c) => c.json(supervisor.getTurn(turnIdOf(c)), 200))
    .get("/turns/:turnId/events", (c) => {
      const turnId = turnIdOf(c);
      const query = parseWith(TurnEventsQuery, c.req.query(), "query");
      supervisor.getTurn(turnId);
      const entries = journal.turnEntries(turnId, query.after, query.limit);
      const page: TurnEventsPage = { entries, nextSeq: entries.at(-1)?.seq ?? query.after };
      return c.json(page, 200);
    })
    .post("/turns/:turnId/interrupt", async (c) => c.json(await supervisor.interruptTurn(turnIdOf(c)), 200))
    .post("/turns/:turnId/permissions/:requestId", async (c) => {
      const answer = parseWith(PermissionAnswer, await jsonBody(c), "permission answer");
      supervisor.answerPermission(turnIdOf(c), parseWith(RequestId, c.req.param("requestId"), "request id"), answer);
      return c.body(null, 204);
    })
    .route("/observer", observerRoutes(observer))
    .get(
      "/ws",
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
    );

  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toBody(), error.status);
    if (error instanceof z.ZodError) return c.json(validationError(error).toBody(), 400);
    logger.error({ err: error, path: c.req.path }, "unhandled error");
    const body: ErrorBody = { error: { code: "internal", message: "Internal error" } };
    return c.json(body, 500);
  });
  app.notFound((c) => {
    const body: ErrorBody = { error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}` } };
    return c.json(body, 404);
  });
  return app;
}

export type KonsoleApp = ReturnType<typeof createApp>;
