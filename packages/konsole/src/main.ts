import { loadConfig } from "./config.ts";
import { start } from "./index.ts";
import { createLogger } from "./logger.ts";

const config = loadConfig();
const logger = createLogger(config.logLevel);
const konsole = await start(config, { logger });

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  const forced = setTimeout(() => {
    logger.error("graceful stop took too long; exiting");
    process.exit(1);
  }, config.stopGraceMs * 3 + 5_000);
  forced.unref();
  await konsole.stop();
  process.exit(0);
}

process.on("SIGTERM", (signal) => void shutdown(signal));
process.on("SIGINT", (signal) => void shutdown(signal));
