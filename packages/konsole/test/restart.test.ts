import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Turn, TurnAccepted } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClaudeHome, type ClaudeHome } from "../../../test/support/claude-env.ts";
import { loopForever, startMessagesApi, type MessagesApi } from "../../../test/support/messages-api.ts";
import { processAlive } from "../src/claude/process-group.ts";
import { findTaggedProcesses } from "../src/claude/process-tag.ts";
import { konsoleEnvFor, SERVICE_TOKEN } from "./support/konsole-harness.ts";
import { startKonuiStandIn, type KonuiStandIn } from "./support/konui-stand-in.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
// node with tsx's loader, not the tsx CLI: the CLI runs konsole in a child that a kill -9 would miss.
const tsxLoader = pathToFileURL(createRequire(path.resolve(packageDir, "../../package.json")).resolve("tsx/esm")).href;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 0;
}

let api: MessagesApi;
let home: ClaudeHome;
let konui: KonuiStandIn;
let dataDir: string;
let env: Record<string, string>;
let url: string;
const children: ChildProcess[] = [];

async function launchKonsole(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", tsxLoader, "src/main.ts"], { cwd: packageDir, env, stdio: ["ignore", "ignore", "pipe"] });
  children.push(child);
  for (let i = 0; i < 300; i++) {
    const healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (healthy) return child;
    if (child.exitCode !== null) throw new Error(`konsole exited with ${child.exitCode}`);
    await sleep(100);
  }
  throw new Error("konsole did not become healthy");
}

function call(method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

beforeAll(async () => {
  api = await startMessagesApi({ scenario: loopForever() });
  home = createClaudeHome();
  konui = await startKonuiStandIn(SERVICE_TOKEN);
  dataDir = realpathSync(mkdtempSync(path.join(tmpdir(), "konsole-restart-")));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = { ...konsoleEnvFor(api, home, konui.url, dataDir), KONSOLE_PORT: String(port) };
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await api?.stop();
  await konui?.stop();
  await home?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a konsole killed mid-turn", () => {
  it("closes the turn at its next start and leaves no claude behind", async () => {
    const first = await launchKonsole();
    const accepted = (await (await call("POST", "/sessions/crash/turns", { userId: "u1", text: "loop forever please", maxTurns: 500 })).json()) as TurnAccepted;
    let running: Turn | undefined;
    await expect
      .poll(
        async () => {
          running = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
          const events = (await (await call("GET", `/turns/${accepted.turn.id}/events?limit=1000`)).json()) as { entries: unknown[] };
          return running.status === "running" && running.pid !== null && events.entries.length > 4;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
    const pid = running?.pid ?? 0;
    const processId = konui.issued.at(-1)?.request.processId ?? "";
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    expect(processAlive(pid)).toBe(true);

    await launchKonsole();
    const closed = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
    expect(["succeeded", "failed"]).toContain(closed.status);
    expect(closed.recovered || closed.error?.code === "supervisor_restarted").toBe(true);
    expect(closed.figures?.toolCallCount ?? 0).toBeGreaterThan(0);
    await expect.poll(() => processAlive(pid), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => findTaggedProcesses(processId), { timeout: 15_000 }).toEqual([]);

    api.setScenario(() => ({ kind: "text", text: "fresh" }) as never);
  }, 120_000);

  it("ends the hot processes it left, idle or busy, and closes their turns", async () => {
    api.setScenario(loopForever());
    const konsole = children.at(-1);
    if (!konsole) throw new Error("no konsole running");
    // maxTurns 1 ends the prompt at once and leaves the hot process idle.
    const idle = (await (await call("POST", "/sessions/hot-idle/hot-prompt?wait=true", { userId: "u1", text: "loop forever please", maxTurns: 1 })).json()) as Turn;
    expect(idle.error?.code).toBe("max_turns");
    const accepted = (await (await call("POST", "/sessions/hot-busy/hot-prompt", { userId: "u1", text: "loop forever please", maxTurns: 500 })).json()) as TurnAccepted;
    let running: Turn | undefined;
    await expect
      .poll(
        async () => {
          running = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
          return running.status === "running" && running.pid !== null;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
    const pids = [idle.pid ?? 0, running?.pid ?? 0];
    konsole.kill("SIGKILL");
    await new Promise((resolve) => konsole.once("exit", resolve));
    expect(pids.map(processAlive)).toEqual([true, true]);

    await launchKonsole();
    const closed = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
    expect(["succeeded", "failed"]).toContain(closed.status);
    await expect.poll(() => pids.map(processAlive), { timeout: 15_000 }).toEqual([false, false]);
  }, 120_000);
});
