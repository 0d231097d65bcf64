import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { answerParserRefusals, API_SECURITY_HEADERS } from "@kon/protocol";
import { WebSocketServer } from "ws";
import { createApp, type KonsoleApp } from "./app.ts";
import { claudeCredentialsOf, NO_CREDENTIALS_HINT } from "./claude/credentials.ts";
import { loadConfig, type KonsoleConfig } from "./config.ts";
import { createKonsoleBus, type KonsoleBus } from "./events/bus.ts";
import { openDatabase } from "./journal/database.ts";
import { SessionStore } from "./journal/session-store.ts";
import { TokenLedger } from "./journal/token-ledger.ts";
import { TurnJournal } from "./journal/turn-journal.ts";
import { TurnStore } from "./journal/turn-store.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createKonsoleMetrics } from "./metrics/konsole-metrics.ts";
import { metricsOnlyApp } from "./metrics/routes.ts";
import { createHostObserver, type RunningObserver } from "./observer/create.ts";
import { tightenDirIfPresent } from "@kon/storage";
import { Supervisor } from "./supervisor/supervisor.ts";
import { workspacesRoot } from "./workspace-files.ts";
import { ProcessTokenClient } from "./tokens/process-token-client.ts";

export { createApp } from "./app.ts";
export { parseConfig, loadConfig, type KonsoleConfig } from "./config.ts";

export interface StartOptions {
  logger?: Logger;
  /** konsole's event bus; tests pass one that checks every event against its schema. */
  bus?: KonsoleBus;
}

export interface RunningKonsole {
  url: string;
  port: number;
  /** What it serves: the contract tests walk its routes. */
  app: KonsoleApp;
  supervisor: Supervisor;
  journal: TurnJournal;
  observer: RunningObserver;
  bus: KonsoleBus;
  /** `GET /metrics` without the token, when KONSOLE_METRICS_PORT is set. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

/** Opens the journal, closes what a previous life left open, and serves HTTP + WebSocket. */
export async function start(config: KonsoleConfig = loadConfig(), options: StartOptions = {}): Promise<RunningKonsole> {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (claudeCredentialsOf(config.childEnv) === "none") logger.warn(NO_CREDENTIALS_HINT);
  const database = openDatabase(config.dataDir);
  tightenDirIfPresent(workspacesRoot(config.dataDir));
  const bus = options.bus ?? createKonsoleBus({ logger });
  const journal = new TurnJournal(database.db, bus);
  const tokenLedger = new TokenLedger(database.db);
  const tokens = new ProcessTokenClient({ konuiUrl: config.konuiUrl, serviceToken: config.serviceToken, logger, heldTokens: tokenLedger, bus });
  const turns = new TurnStore(database.db);
  const supervisor = new Supervisor({
    config,
    sessions: new SessionStore(database.db),
    turns,
    journal,
    tokens,
    tokenLedger,
    logger,
    bus,
  });
  const metrics = createKonsoleMetrics(bus, {
    hotStatus: () => supervisor.hotStatus(),
    slotsInUse: () => supervisor.slots.inUse,
    slotCapacity: () => supervisor.slots.capacity,
    slotWaiters: () => supervisor.slots.waiting,
    waitingTurns: () => supervisor.waitingTurns,
  });
  const recovered = await supervisor.recover();
  if (recovered > 0) logger.warn({ recovered }, "closed turns left open by a previous run");
  supervisor.startHotPool();
  const observer = createHostObserver({ config, db: database.db, journal, supervisor, turns, logger });
  observer.observer.start();

  const app = createApp({ config, supervisor, journal, logger, observer, bus, metrics });
  const wss = new WebSocketServer({ noServer: true });
  let mainServer: ReturnType<typeof serve> | null = null;
  let metricsServer: ReturnType<typeof serve> | null = null;
  try {
    mainServer = await listen({ fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss } });
    if (config.metricsListen) {
      metricsServer = await listen({ fetch: metricsOnlyApp(metrics).fetch, port: config.metricsListen.port, hostname: config.metricsListen.host });
    }
  } catch (err) {
    // A port in use leaves no pool process, watcher, timer, server or open database behind.
    await closeServer(metricsServer);
    await closeServer(mainServer);
    await observer.observer.stop();
    await supervisor.stop();
    wss.close();
    database.close();
    throw err;
  }
  const server = mainServer;
  const { port } = server.address() as AddressInfo;
  const url = urlOf(config.host, port);
  const metricsUrl = metricsServer && config.metricsListen ? `${urlOf(config.metricsListen.host, (metricsServer.address() as AddressInfo).port)}/metrics` : null;
  logger.info({ url, metricsUrl }, "konsole listening");

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      logger.info("konsole stopping");
      await observer.observer.stop();
      await supervisor.stop();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await closeServer(metricsServer);
      await closeServer(server);
      database.close();
      logger.info("konsole stopped");
    })();
    return stopped;
  };
  return { url, port, app, supervisor, journal, observer, bus, metricsUrl, stop };
}

const urlOf = (host: string, port: number): string => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

function listen(options: Parameters<typeof serve>[0]): Promise<ReturnType<typeof serve>> {
  return new Promise((resolve, reject) => {
    const listening = serve(options, () => resolve(listening));
    listening.on("clientError", answerParserRefusals(API_SECURITY_HEADERS));
    listening.once("error", reject);
  });
}

function closeServer(server: ReturnType<typeof serve> | null | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ("closeAllConnections" in server) server.closeAllConnections();
  });
}
