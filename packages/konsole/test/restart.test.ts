import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { HotStatus, Turn, TurnAccepted, TurnEventsPage } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClaudeHome, type ClaudeHome } from "../../../test/support/claude-env.ts";
import { loopForever, noopBash, startMessagesApi, toolCall, toolUseReply, type MessagesApi } from "../../../test/support/messages-api.ts";
import { processAlive } from "../src/claude/process-group.ts";
import { findTaggedProcesses } from "../src/claude/process-tag.ts";
import { writeFaultWrapper } from "./support/fault-wrappers.ts";
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
let url = "";
const children: ChildProcess[] = [];

/**
 * Starts konsole on a port that was free a moment ago; should another program take it in
 * between, it tries again on another.
 */
async function launchKonsole(): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    env = { ...env, KONSOLE_PORT: String(port) };
    url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ["--import", tsxLoader, "src/main.ts"], { cwd: packageDir, env, stdio: ["ignore", "ignore", "pipe"] });
    children.push(child);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
      if (healthy) return child;
      if (child.exitCode !== null) break;
      await sleep(100);
    }
    if (child.exitCode === null) throw new Error("konsole did not become healthy");
    if (!stderr.includes("EADDRINUSE") || attempt >= 5) throw new Error(`konsole exited with ${child.exitCode}: ${stderr.slice(-500)}`);
  }
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
  env = konsoleEnvFor(api, home, konui.url, dataDir);
}, 240_000);

/** SIGTERM (a graceful stop) or SIGKILL, and waits for the exit. */
async function endKonsole(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

const runningKonsole = (): ChildProcess => {
  const konsole = children.at(-1);
  if (!konsole || konsole.exitCode !== null || konsole.signalCode !== null) throw new Error("no konsole running");
  return konsole;
};

async function waitForPool(): Promise<HotStatus["processes"][number]> {
  let warm: HotStatus["processes"][number] | undefined;
  await expect
    .poll(
      async () => {
        const status = (await (await call("GET", "/hot/status")).json()) as HotStatus;
        warm = status.processes.find((entry) => entry.sessionId === null && entry.state === "idle");
        return warm !== undefined;
      },
      { timeout: 60_000, interval: 100 },
    )
    .toBe(true);
  if (!warm) throw new Error("no warm pool process");
  return warm;
}

async function startRunningTurn(route: string): Promise<Turn> {
  const accepted = (await (await call("POST", route, { userId: "u1", text: "loop forever please", maxTurns: 500 })).json()) as TurnAccepted;
  let running: Turn | undefined;
  await expect
    .poll(
      async () => {
        running = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
        return running.status === "running" && running.pid !== null;
      },
      { timeout: 60_000, interval: 100 },
    )
    .toBe(true);
  if (!running) throw new Error("the turn never ran");
  return running;
}

afterAll(async () => {
  // Gracefully, so the last konsole ends its own claude processes.
  await Promise.all(children.map((child) => endKonsole(child, "SIGTERM")));
  await api?.stop();
  await konui?.stop();
  await home?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a konsole killed mid-turn", () => {
  it("fails the turn at its next start as restarted, keeping what it said, and leaves no claude behind", async () => {
    api.setScenario(() => toolUseReply("Bash", { ...noopBash }, { text: "Still working" }));
    const first = await launchKonsole();
    const running = await startRunningTurn("/sessions/crash/turns");
    // A tool call has run (and so was journaled), not just the first pieces of the reply.
    await expect.poll(() => toolResults(running.id), { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    const pid = running.pid ?? 0;
    const processId = konui.issued.at(-1)?.request.processId ?? "";
    await endKonsole(first, "SIGKILL");
    expect(processAlive(pid)).toBe(true);

    await launchKonsole();
    const closed = (await (await call("GET", `/turns/${running.id}`)).json()) as Turn;
    expect(closed).toMatchObject({ status: "failed", recovered: false, error: { code: "supervisor_restarted", message: "konsole restarted during this turn" } });
    expect(closed.reply).toContain("Still working");
    expect(closed.figures?.toolCallCount ?? 0).toBeGreaterThan(0);
    await expect.poll(() => processAlive(pid), { timeout: 60_000 }).toBe(false);
    await expect.poll(() => findTaggedProcesses(processId), { timeout: 60_000 }).toEqual([]);

    api.setScenario(() => ({ kind: "text", text: "fresh" }) as never);
  }, 240_000);

  it("ends the hot processes it left, idle or busy, and closes their turns", async () => {
    api.setScenario(loopForever());
    const konsole = runningKonsole();
    // maxTurns 1 ends the prompt at once and leaves the hot process idle.
    const idle = (await (await call("POST", "/sessions/hot-idle/hot-prompt?wait=true", { userId: "u1", text: "loop forever please", maxTurns: 1 })).json()) as Turn;
    expect(idle.error?.code).toBe("max_turns");
    const running = await startRunningTurn("/sessions/hot-busy/hot-prompt");
    const pids = [idle.pid ?? 0, running.pid ?? 0];
    await endKonsole(konsole, "SIGKILL");
    expect(pids.map(processAlive)).toEqual([true, true]);

    await launchKonsole();
    const closed = (await (await call("GET", `/turns/${running.id}`)).json()) as Turn;
    expect(closed).toMatchObject({ status: "failed", recovered: false, error: { code: "supervisor_restarted" } });
    await expect.poll(() => pids.map(processAlive), { timeout: 60_000 }).toEqual([false, false]);
  }, 240_000);
});

describe("a konsole killed while a tool permission request waits", () => {
  it("fails the turn at its next start as restarted and leaves no claude behind", async () => {
    api.setScenario(toolCall("Bash", { command: "touch never.txt", description: "make a file" }));
    const konsole = runningKonsole();
    const body = { userId: "u1", text: "make a file", allowedTools: ["Read"], permissions: { ask: true } };
    const accepted = (await (await call("POST", "/sessions/permission-kill/hot-prompt", body)).json()) as TurnAccepted;
    const asked = async () => {
      const page = (await (await call("GET", `/turns/${accepted.turn.id}/events?limit=1000`)).json()) as TurnEventsPage;
      return page.entries.some((entry) => entry.payload.type === "permission" && entry.payload.request.verdict.decision === "ask");
    };
    await expect.poll(asked, { timeout: 120_000, interval: 100 }).toBe(true);
    const waiting = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
    await endKonsole(konsole, "SIGKILL");

    await launchKonsole();
    const closed = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
    expect(closed).toMatchObject({ status: "failed", error: { code: "supervisor_restarted" } });
    await expect.poll(() => processAlive(waiting.pid ?? 0), { timeout: 60_000 }).toBe(false);
    expect((await call("POST", `/turns/${accepted.turn.id}/permissions/any`, { behavior: "allow" })).status).toBe(404);
  }, 240_000);
});

describe("process tokens across a konsole's life", () => {
  const unrevoked = () => konui.issued.filter((entry) => entry.revokedAt === null).map((entry) => entry.token.tokenId);

  it("a graceful stop revokes the token of every live process: pool, idle, busy hot and cold", async () => {
    api.setScenario(loopForever());
    await endKonsole(runningKonsole(), "SIGTERM");
    // Pool processes with the cap the busy turns ask for, so a new conversation can claim one.
    env = { ...env, KONSOLE_HOT_POOL_SIZE: "1", KONSOLE_HOT_MAX_TURNS: "500", KONSOLE_MAX_PROCESSES: "6" };
    await launchKonsole();
    await waitForPool();
    const idle = (await (await call("POST", "/sessions/stop-idle/hot-prompt?wait=true", { userId: "u1", text: "loop forever please", maxTurns: 1 })).json()) as Turn;
    expect(idle.error?.code).toBe("max_turns");
    await startRunningTurn("/sessions/stop-busy/hot-prompt");
    await startRunningTurn("/sessions/stop-cold/turns");
    await waitForPool();
    expect(unrevoked().length).toBeGreaterThanOrEqual(4);

    const konsole = runningKonsole();
    await endKonsole(konsole, "SIGTERM");
    expect(konsole.exitCode).toBe(0);
    expect(unrevoked()).toEqual([]);
  }, 240_000);

  it("a konsole killed with -9 revokes, at its next start, the tokens of a busy hot and an idle pool process", async () => {
    await launchKonsole();
    const claimed = await waitForPool();
    const busy = await startRunningTurn("/sessions/kill-busy/hot-prompt");
    expect(busy.pid).toBe(claimed.pid);
    const pooled = await waitForPool();
    const busyToken = konui.issued.find((entry) => entry.request.sessionId === "kill-busy");
    const poolToken = konui.issued.find((entry) => entry.pooled && entry.request.sessionId === undefined && entry.revokedAt === null);
    expect(busyToken?.revokedAt).toBeNull();
    expect(poolToken?.revokedAt).toBeNull();
    expect(unrevoked()).toHaveLength(2);

    await endKonsole(runningKonsole(), "SIGKILL");
    expect([busy.pid ?? 0, pooled.pid ?? 0].map(processAlive)).toEqual([true, true]);
    await launchKonsole();
    // Revoked before konsole answers at all.
    expect(busyToken?.revokedAt).not.toBeNull();
    expect(poolToken?.revokedAt).not.toBeNull();
    await expect.poll(() => [busy.pid ?? 0, pooled.pid ?? 0].map(processAlive), { timeout: 60_000 }).toEqual([false, false]);
  }, 240_000);
});

describe("a turn that used all its turns when konsole died", () => {
  it("is closed at the next start with the exact turn-limit message", async () => {
    api.setScenario(loopForever());
    const previous = children.at(-1);
    if (previous) await endKonsole(previous, "SIGTERM");
    env = { ...env, CLAUDE_BIN: writeFaultWrapper("drop-result"), KONSOLE_HOT_POOL_SIZE: "0" };
    await launchKonsole();
    const accepted = (await (await call("POST", "/sessions/capped/turns", { userId: "u1", text: "loop forever please", maxTurns: 2 })).json()) as TurnAccepted;
    // Both of its turns' tool calls ran: the CLI is at its cap (its result line never reaches konsole).
    await expect.poll(() => toolResults(accepted.turn.id), { timeout: 60_000, interval: 100 }).toBe(2);
    await endKonsole(runningKonsole(), "SIGKILL");

    await launchKonsole();
    const closed = (await (await call("GET", `/turns/${accepted.turn.id}`)).json()) as Turn;
    expect(closed).toMatchObject({
      status: "failed",
      error: {
        code: "max_turns",
        message:
          "Task exceeded turn limit: Reached maximum number of turns (2). Consider increasing max_turns_task in guardrails or breaking into smaller subtasks.",
      },
    });
    expect(closed.figures?.toolCallCount).toBe(2);
  }, 240_000);
});

async function toolResults(turnId: string): Promise<number> {
  const { entries } = (await (await call("GET", `/turns/${turnId}/events?limit=1000`)).json()) as TurnEventsPage;
  return entries.filter((entry) => entry.payload.type === "claude" && entry.payload.line.kind === "event" && entry.payload.line.event.type === "user").length;
}
