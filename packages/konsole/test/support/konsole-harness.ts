// One file's worth of konsole under test: the Messages API stand-in, an isolated Claude home,
// a konui stand-in, a temp data dir and konsole itself on a free port.

import { mkdtempSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { HotStatus, KonsoleSession, StartTurnRequest, Turn, TurnAccepted, TurnEventsPage } from "@kon/protocol";
import { createClaudeHome, type ClaudeHome } from "../../../../test/support/claude-env.ts";
import { startMessagesApi, type MessagesApi, type Scenario } from "../../../../test/support/messages-api.ts";
import { parseConfig, type KonsoleConfig } from "../../src/config.ts";
import { start, type RunningKonsole } from "../../src/index.ts";
import { silentLogger, type Logger } from "../../src/logger.ts";
import { startKonuiStandIn, type KonuiStandIn } from "./konui-stand-in.ts";

export const SERVICE_TOKEN = "test-service-token-0123456789";

export interface HarnessOptions {
  scenario?: Scenario;
  /** Extra KONSOLE_* variables (strings, as in the environment). */
  env?: Record<string, string>;
  /** The konui stand-in's cap on process token lifetimes (KONUI_PROCESS_TOKEN_TTL_SEC). */
  konuiMaxTtlSec?: number;
  /** konsole's logger (silent unless TEST_LOG_LEVEL is set). */
  logger?: Logger;
}

export interface KonsoleHarness {
  api: MessagesApi;
  home: ClaudeHome;
  konui: KonuiStandIn;
  konsole: RunningKonsole;
  config: KonsoleConfig;
  dataDir: string;
  /** The environment konsole itself is configured from (also for running it as a child). */
  konsoleEnv: Record<string, string>;
  request(method: string, route: string, body?: unknown, token?: string | null): Promise<Response>;
  startTurn(sessionId: string, body: Partial<StartTurnRequest> & { text: string }): Promise<TurnAccepted>;
  runTurn(sessionId: string, body: Partial<StartTurnRequest> & { text: string }): Promise<Turn>;
  /** `POST /sessions/:id/hot-prompt?wait=true`. */
  hotPrompt(sessionId: string, body: Partial<StartTurnRequest> & { text: string }): Promise<Turn>;
  hotStatus(): Promise<HotStatus>;
  session(sessionId: string): Promise<KonsoleSession>;
  waitForStatus(turnId: string, predicate: (turn: Turn) => boolean, timeoutMs?: number): Promise<Turn>;
  /** Waits until the turn's journal holds `count` tool results (`user` events): its tool calls have run. */
  waitForToolCalls(turnId: string, count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function konsoleEnvFor(api: MessagesApi, home: ClaudeHome, konuiUrl: string, dataDir: string, extra: Record<string, string> = {}) {
  return {
    ...home.env(api.url),
    KONSOLE_PORT: "0",
    KONSOLE_DATA_DIR: dataDir,
    KONUI_URL: konuiUrl,
    KONSOLE_SERVICE_TOKEN: SERVICE_TOKEN,
    KONSOLE_STOP_GRACE_MS: "2000",
    KONSOLE_RESULT_GRACE_MS: "1000",
    KONSOLE_LINGER_GRACE_MS: "2000",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...extra,
  };
}

export async function startKonsoleHarness(options: HarnessOptions = {}): Promise<KonsoleHarness> {
  const api = await startMessagesApi(options.scenario ? { scenario: options.scenario } : {});
  const home = createClaudeHome();
  const konui = await startKonuiStandIn(SERVICE_TOKEN, options.konuiMaxTtlSec);
  const dataDir = realpathSync(mkdtempSync(path.join(tmpdir(), "konsole-data-")));
  const konsoleEnv = konsoleEnvFor(api, home, konui.url, dataDir, options.env);
  const config = parseConfig(konsoleEnv);
  const konsole = await start(config, options.logger ? { logger: options.logger } : process.env.TEST_LOG_LEVEL ? {} : { logger: silentLogger });

  const harness: KonsoleHarness = {
    api,
    home,
    konui,
    konsole,
    config,
    dataDir,
    konsoleEnv,
    request(method, route, body, token = SERVICE_TOKEN) {
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      return fetch(`${konsole.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
    async startTurn(sessionId, body) {
      const response = await harness.request("POST", `/sessions/${sessionId}/turns`, { userId: "u1", ...body });
      if (response.status !== 202) throw new Error(`start turn: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as TurnAccepted;
    },
    async runTurn(sessionId, body) {
      const response = await harness.request("POST", `/sessions/${sessionId}/turns?wait=true`, { userId: "u1", ...body });
      if (response.status !== 200) throw new Error(`run turn: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as Turn;
    },
    async hotPrompt(sessionId, body) {
      const response = await harness.request("POST", `/sessions/${sessionId}/hot-prompt?wait=true`, { userId: "u1", ...body });
      if (response.status !== 200) throw new Error(`hot prompt: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as Turn;
    },
    async hotStatus() {
      return (await (await harness.request("GET", "/hot/status")).json()) as HotStatus;
    },
    async session(sessionId) {
      return (await (await harness.request("GET", `/sessions/${sessionId}`)).json()) as KonsoleSession;
    },
    async waitForStatus(turnId, predicate, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = await harness.request("GET", `/turns/${turnId}`);
        const turn = (await response.json()) as Turn;
        if (predicate(turn)) return turn;
        if (Date.now() > deadline) throw new Error(`turn ${turnId} stayed ${turn.status}`);
        await sleep(100);
      }
    },
    async waitForToolCalls(turnId, count, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { entries } = (await (await harness.request("GET", `/turns/${turnId}/events?limit=1000`)).json()) as TurnEventsPage;
        const toolResults = entries.filter((entry) => entry.payload.type === "claude" && entry.payload.line.kind === "event" && entry.payload.line.event.type === "user");
        if (toolResults.length >= count) return;
        if (Date.now() > deadline) throw new Error(`turn ${turnId} made ${toolResults.length} of ${count} tool calls`);
        await sleep(100);
      }
    },
    async stop() {
      await konsole.stop();
      await konui.stop();
      await api.stop();
      await home.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const isFinished = (turn: Turn): boolean => turn.status === "succeeded" || turn.status === "failed";
export const isRunning = (turn: Turn): boolean => turn.status === "running";
