// konsole with its observer pointed at given folders and no Claude processes of its own: a temp
// data dir and HOME, a free port, the real app over HTTP.

import { mkdtempSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfig } from "../../src/config.ts";
import { start, type RunningKonsole } from "../../src/index.ts";
import { silentLogger } from "../../src/logger.ts";

export const OBSERVER_TOKEN = "observer-test-token-0123456789";

export interface ObservingKonsole {
  konsole: RunningKonsole;
  dataDir: string;
  /** GET with the service token; the parsed JSON body and the status. */
  get<T = unknown>(route: string): Promise<{ status: number; body: T }>;
  /** Until the observer has nothing pending. */
  settled(): Promise<void>;
  /** Stops konsole; `keepData` leaves the data dir for a restart. */
  stop(keepData?: boolean): Promise<void>;
}

export async function startObservingKonsole(dirs: readonly string[], options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<ObservingKonsole> {
  const dataDir = options.dataDir ?? realpathSync(mkdtempSync(path.join(tmpdir(), "konsole-observer-")));
  const config = parseConfig({
    KONSOLE_SERVICE_TOKEN: OBSERVER_TOKEN,
    KONSOLE_PORT: "0",
    KONSOLE_DATA_DIR: dataDir,
    KONSOLE_OBSERVE_DIRS: dirs.join(","),
    HOME: path.join(dataDir, "home"),
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const konsole = await start(config, { logger: silentLogger });
  return {
    konsole,
    dataDir,
    async get<T>(route: string) {
      const response = await fetch(`${konsole.url}${route}`, { headers: { authorization: `Bearer ${OBSERVER_TOKEN}` } });
      return { status: response.status, body: (await response.json()) as T };
    },
    settled: () => konsole.observer.observer.settled(),
    async stop(keepData = false) {
      await konsole.stop();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
