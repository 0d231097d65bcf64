import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { WebSocketServer } from "ws";
import { createApp, type KonsoleApp } from "./app.ts";
import { claudeCredentialsOf, NO_CREDENTIALS_HINT } from "./claude/credentials.ts";
import { loadConfig, type KonsoleConfig } from "./config.ts";
import { openDatabase } from "./journal/database.ts";
import { SessionStore } from "./journal/session-store.ts";
import { TokenLedger } from "./journal/token-ledger.ts";
import { TurnJournal } from "./journal/turn-journal.ts";
import { TurnStore } from "./journal/turn-store.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createHostObserver, type RunningObserver } from "./observer/create.ts";
import { tightenDirIfPresent } from "./private-files.ts";
import { Supervisor } from "./supervisor/supervisor.ts";
import { workspacesRoot } from "./supervisor/workspace-files.ts";
import { ProcessTokenClient } from "./tokens/process-token-client.ts";

export { createApp } from "./app.ts";
export { parseConfig, loadConfig, type KonsoleConfig } from "./config.ts";

export interface StartOptions {
  logger?: Logger;
}

export interface RunningKonsole {
  url: string;
  port: number;
  /** What it serves: the contract tests walk its routes. */
  app: KonsoleApp;
  supervisor: Supervisor;
  journal: TurnJournal;
  observer: RunningObserver;
  stop(): Promise<void>;
}

/** Opens the journal, closes what a previous life left open, and serves HTTP + WebSocket. */
export async function start(config: KonsoleConfig = loadConfig(), options: StartOptions = {}): Promise<RunningKonsole> {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (claudeCredentialsOf(config.childEnv) === "none") logger.warn(NO_CREDENTIALS_HINT);
  const database = openDatabase(config.dataDir);
  tightenDirIfPresent(workspacesRoot(config.dataDir));
  const journal = new TurnJournal(database.db);
  const tokenLedger = new TokenLedger(database.db);
  const tokens = new ProcessTokenClient({ konuiUrl: config.konuiUrl, serviceToken: config.serviceToken, logger, heldTokens: tokenLedger });
  const turns = new TurnStore(database.db);
  const supervisor = new Supervisor({
    config,
    sessions: new SessionStore(database.db),
    turns,
    journal,
    tokens,
    tokenLedger,
    logger,
  });
  const recovered = await supervisor.recover();
  if (recovered > 0) logger.warn({ recovered }, "closed turns left open by a previous run");
  supervisor.startHotPool();
  const observer = createHostObserver({ config, db: database.db, journal, supervisor, turns, logger });
  observer.observer.start();

  const app = createApp({ config, supervisor, journal, logger, observer });
  const wss = new WebSocketServer({ noServer: true });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const listening = serve({ fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss } }, () =>
        resolve(listening),
      );
      listening.once("error", reject);
    });
  } catch (err) {
    // A port in use leaves no pool process, watcher, timer or open database behind.
    await observer.observer.stop();
    await supervisor.stop();
    wss.close();
    database.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url }, "konsole listening");

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      logger.info("konsole stopping");
      await observer.observer.stop();
      await supervisor.stop();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      database.close();
      logger.info("konsole stopped");
    })();
    return stopped;
  };
  return { url, port, app, supervisor, journal, observer, stop };
}
