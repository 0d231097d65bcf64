// What the konsole benchmarks share: medians, and konsole in-process against the instant
// Messages API stand-in and a konui stand-in, in throwaway directories.

import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfig } from "../../packages/konsole/src/config.ts";
import { start, type RunningKonsole } from "../../packages/konsole/src/index.ts";
import { silentLogger } from "../../packages/konsole/src/logger.ts";
import { startKonuiStandIn } from "../../packages/konsole/test/support/konui-stand-in.ts";
import { createClaudeHome, type ClaudeHome } from "../../test/support/claude-env.ts";
import { startMessagesApi, type Scenario } from "../../test/support/messages-api.ts";

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export interface BenchKonsole {
  konsole: RunningKonsole;
  home: ClaudeHome;
  /** The environment a `claude` child gets (to run the CLI directly beside konsole). */
  childEnv: Record<string, string>;
  serviceToken: string;
  call(method: string, route: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export async function startBenchKonsole(scenario: Scenario, env: Record<string, string> = {}): Promise<BenchKonsole> {
  const serviceToken = "bench-service-token-0123456789";
  const api = await startMessagesApi({ scenario });
  const home = createClaudeHome();
  const konui = await startKonuiStandIn(serviceToken);
  const dataDir = mkdtempSync(path.join(tmpdir(), "konsole-bench-"));
  const childEnv = home.env(api.url);
  const konsole = await start(
    parseConfig({ ...childEnv, KONSOLE_PORT: "0", KONSOLE_DATA_DIR: dataDir, KONUI_URL: konui.url, KONSOLE_SERVICE_TOKEN: serviceToken, ...env }),
    { logger: silentLogger },
  );
  return {
    konsole,
    home,
    childEnv,
    serviceToken,
    call: (method, route, body) =>
      fetch(`${konsole.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${serviceToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async stop() {
      await konsole.stop();
      await konui.stop();
      await api.stop();
      await home.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
