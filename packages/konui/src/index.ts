import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve } from "@hono/node-server";
import { answerParserRefusals, API_SECURITY_HEADERS } from "@kon/protocol";
import { WebSocketServer } from "ws";
import { createApp, type KonuiApp } from "./app.ts";
import { ensureFirstAdmin } from "./auth/bootstrap.ts";
import { resolveJwtSecret } from "./auth/jwt-secret.ts";
import { startTokenSweeper } from "./auth/sweeper.ts";
import { loadConfig, type Config } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { createKonsoleClient, type KonsoleApi } from "./konsole/client.ts";
import { KonsoleConsumer } from "./konsole/consumer.ts";
import { TurnStream } from "./konsole/turn-stream.ts";
import { selectSubProtocol } from "./live/stream-token.ts";
import { createLogger, type Logger } from "./logger.ts";
import { tightenDirIfPresent } from "@kon/storage";
import type { Services } from "./services.ts";

export { createApp } from "./app.ts";
export { loadConfig, type Config } from "./config.ts";
export type { KonsoleApi } from "./konsole/client.ts";

export interface StartOptions {
  logger?: Logger;
  /** Replaces the real konsole client (tests). */
  konsole?: KonsoleApi;
  /** Where the generated admin password goes; stdout by default. */
  print?: (line: string) => void;
}

export interface RunningKonui {
  url: string;
  port: number;
  /** What it serves: the contract tests walk its routes. */
  app: KonuiApp;
  services: Services;
  stop(): Promise<void>;
}

/** Opens the database, listens, follows konsole's journal; `stop` undoes it all in order. */
export async function start(config: Config = loadConfig(), options: StartOptions = {}): Promise<RunningKonui> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = openDatabase(path.join(config.dataDir, "konui.sqlite"));
  tightenDirIfPresent(path.join(config.dataDir, "uploads"));
  const konsole = options.konsole ?? createKonsoleClient({ baseUrl: config.konsoleUrl, serviceToken: config.serviceToken });
  const jwtSecret = resolveJwtSecret(config.dataDir, config.jwtSecret);
  const { app, services } = createApp({ config, db: database.db, konsole, logger, jwtSecret });
  await ensureFirstAdmin(services.users, config.adminPassword, logger, options.print ?? ((line) => process.stdout.write(`${line}\n`)));

  const wss = new WebSocketServer({ noServer: true, handleProtocols: selectSubProtocol });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss } }, () => resolve(s));
      s.on("clientError", answerParserRefusals(API_SECURITY_HEADERS));
      s.once("error", reject);
    });
  } catch (err) {
    // Nothing else is running yet (sweeper, consumer), so a port in use leaves nothing behind.
    database.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url }, "konui listening");
  if (!existsSync(path.join(config.dashboardDir, "index.html"))) {
    logger.warn({ dashboardDir: config.dashboardDir }, "no built dashboard: pages answer 503 until `pnpm --filter @kon/dashboard build` runs");
  }

  const stopSweeper = startTokenSweeper(services, config.sweepIntervalSec * 1000, logger);
  const consumer = new KonsoleConsumer({
    konsoleUrl: config.konsoleUrl,
    serviceToken: config.serviceToken,
    db: database.db,
    recorder: services.recorder,
    stream: new TurnStream({ db: database.db, toolCalls: services.toolCalls, partials: services.partials, hub: services.hub }),
    decisions: services.decisions,
    host: services.hostFeed,
    logger: logger.child({ component: "consumer" }),
  });
  consumer.start();
  services.decisions.start();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      stopSweeper();
      services.decisions.stop();
      services.sender.close();
      await consumer.stop();
      for (const client of wss.clients) client.close(1001, "konui is stopping");
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      for (const client of wss.clients) client.terminate();
      database.close();
      logger.info("konui stopped");
    })();
    return stopping;
  };
  return { url, port, app, services, stop };
}
