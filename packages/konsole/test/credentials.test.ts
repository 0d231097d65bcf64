import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Health, parseClaudeLine, type Turn } from "@kon/protocol";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClaudeHome, type ClaudeHome } from "../../../test/support/claude-env.ts";
import { startMessagesApi, type MessagesApi } from "../../../test/support/messages-api.ts";
import { claudeCredentialsOf, NO_CREDENTIALS_HINT } from "../src/claude/credentials.ts";
import { TurnAccumulator } from "../src/claude/turn-accumulator.ts";
import { parseConfig } from "../src/config.ts";
import { start, type RunningKonsole } from "../src/index.ts";
import { judgeTurn } from "../src/supervisor/turn-verdict.ts";
import { konsoleEnvFor, SERVICE_TOKEN } from "./support/konsole-harness.ts";
import { startKonuiStandIn, type KonuiStandIn } from "./support/konui-stand-in.ts";

describe("which credentials Claude processes will use", () => {
  it("follows the CLI's order: cloud provider, API key, gateway, CLI login, none", () => {
    const home = mkdtempSync(path.join(tmpdir(), "konsole-creds-"));
    try {
      expect(claudeCredentialsOf({ HOME: home })).toBe("none");
      expect(claudeCredentialsOf({ HOME: home, CLAUDE_CODE_USE_BEDROCK: "0" })).toBe("none");
      expect(claudeCredentialsOf({ CLAUDE_CODE_USE_BEDROCK: "1", ANTHROPIC_API_KEY: "k" })).toBe("bedrock");
      expect(claudeCredentialsOf({ CLAUDE_CODE_USE_VERTEX: "true" })).toBe("vertex");
      expect(claudeCredentialsOf({ ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: "http://gw" })).toBe("api_key");
      expect(claudeCredentialsOf({ ANTHROPIC_BASE_URL: "http://gw" })).toBe("base_url");
      expect(claudeCredentialsOf({ CLAUDE_CODE_OAUTH_TOKEN: "t" })).toBe("cli_login");
      mkdirSync(path.join(home, ".claude"));
      writeFileSync(path.join(home, ".claude", ".credentials.json"), "{}");
      expect(claudeCredentialsOf({ HOME: home })).toBe("cli_login");
      expect(claudeCredentialsOf({ HOME: home, CLAUDE_CONFIG_DIR: path.join(home, "elsewhere") })).toBe("none");
    } finally {
      void rm(home, { recursive: true, force: true });
    }
  });

  it("turns the CLI's recorded 'Not logged in' result into the hint", () => {
    const fixture = path.join(import.meta.dirname, "../../protocol/test/fixtures/claude-cli-2.1.329/not-logged-in.jsonl");
    const accumulator = new TurnAccumulator(0);
    let result;
    for (const text of readFileSync(fixture, "utf8").split("\n").filter(Boolean)) {
      const line = parseClaudeLine(text);
      accumulator.observe(line, 1);
      if (line.kind === "event" && line.event.type === "result") result = line.event;
    }
    if (!result) throw new Error("the fixture has no result");
    const verdict = judgeTurn({ kind: "result", result }, accumulator, {
      limits: { maxTurns: 1, executionTimeoutSec: null, budget: null },
      stopReason: null,
      stderr: "",
    });
    expect(verdict).toEqual({ status: "failed", reply: null, error: { code: "claude_error", message: NO_CREDENTIALS_HINT }, recovered: false });
  });
});

describe("konsole without any credentials", () => {
  let api: MessagesApi;
  let home: ClaudeHome;
  let konui: KonuiStandIn;
  let dataDir: string;
  let konsole: RunningKonsole;
  const logLines: string[] = [];

  beforeAll(async () => {
    api = await startMessagesApi();
    home = createClaudeHome();
    konui = await startKonuiStandIn(SERVICE_TOKEN);
    dataDir = realpathSync(mkdtempSync(path.join(tmpdir(), "konsole-nocreds-")));
    // Blank counts as unset: no API key, no gateway, and an empty CLI config dir.
    const config = parseConfig(konsoleEnvFor(api, home, konui.url, dataDir, { ANTHROPIC_API_KEY: "", ANTHROPIC_BASE_URL: "" }));
    const logger = pino({ level: "warn" }, { write: (line: string) => void logLines.push(line) });
    konsole = await start(config, { logger });
  }, 240_000);

  afterAll(async () => {
    await konsole?.stop();
    await konui?.stop();
    await api?.stop();
    await home?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = (method: string, route: string, body?: unknown) =>
    fetch(`${konsole.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("starts, reports credentials none on /health and says once what to set", async () => {
    const health = Health.parse(await (await fetch(`${konsole.url}/health`)).json());
    expect(health).toMatchObject({ status: "ok", service: "konsole", credentials: "none" });
    const hints = logLines.filter((line) => line.includes("Claude has no credentials"));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toContain("ANTHROPIC_API_KEY");
  });

  it.each(["turns", "hot-prompt"])("fails a %s turn with the hint instead of the CLI's /login", async (route) => {
    const response = await call("POST", `/sessions/nocreds-${route}/${route}?wait=true`, { userId: "u1", text: "hi" });
    expect(response.status).toBe(200);
    const turn = (await response.json()) as Turn;
    expect(turn).toMatchObject({ status: "failed", reply: null, error: { code: "claude_error", message: NO_CREDENTIALS_HINT } });
    expect(JSON.stringify(turn)).not.toContain("/login");
    expect(api.requests.filter((request) => request.route === "messages")).toEqual([]);
    expect(logLines.filter((line) => line.includes("Claude has no credentials"))).toHaveLength(1);
  }, 240_000);
});
