// What the konsole benchmarks share: medians, and konsole in-process against the instant
// Messages API stand-in and a konui stand-in, in throwaway directories.

import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClaudeHome, type ClaudeHome } from "@kon/e2e/support/claude-env";
import { startMessagesApi, type Scenario } from "@kon/e2e/support/messages-api";
import { startClaude, type ClaudeProcess } from "@kon/e2e/support/run-claude";
import { parseConfig, start, type RunningKonsole } from "@kon/konsole";
import { buildClaudeArgs, type Conversation } from "@kon/konsole/claude/args";
import { silentLogger } from "@kon/konsole/logger";
import { startKonuiStandIn } from "../../packages/konsole/test/support/konui-stand-in.ts";

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Ends a CLI run directly: stdin closed, its exit awaited, then whatever is left of its group killed. */
export async function endDirect(claude: ClaudeProcess): Promise<void> {
  claude.endInput();
  await claude.exited;
  await claude.kill();
}

export interface BenchKonsole {
  konsole: RunningKonsole;
  home: ClaudeHome;
  serviceToken: string;
  /**
   * The CLI run directly beside konsole, with the arguments konsole would give it (its default
   * tools) and the environment a konsole child gets, in the Claude home's project folder.
   */
  startDirect(conversation: Conversation, maxTurns: number): ClaudeProcess;
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
  const config = parseConfig({ ...childEnv, KONSOLE_PORT: "0", KONSOLE_DATA_DIR: dataDir, KONUI_URL: konui.url, KONSOLE_SERVICE_TOKEN: serviceToken, ...env });
  const konsole = await start(config, { logger: silentLogger });
  return {
    konsole,
    home,
    serviceToken,
    startDirect: (conversation, maxTurns) =>
      startClaude({
        baseArgs: [],
        args: buildClaudeArgs({ conversation, maxTurns, permissionMode: config.defaultPermissionMode, allowedTools: config.defaultAllowedTools }),
        env: childEnv,
        cwd: home.cwd,
      }),
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
