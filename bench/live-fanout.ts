// Live fan-out: 1,000 dashboard sockets open at once on konui's /api/live receive a running turn's
// frames, beside a bare `ws` server relaying the same frames to 1,000 sockets. konui is real and
// in-process (temp data dir, a held fake konsole for sends); the turn reaches it the way it does
// in production: journal entries on konsole's WebSocket (a stand-in in the client process), read
// by konui's consumer, published through its LiveHub. Clients, the konsole stand-in and the bare
// server's feed live in a child process; this process holds only the two servers, so its CPU time
// is theirs. Interleaved rounds; asserts nothing. Run: tsx bench/live-fanout.ts [rounds=3] [sockets=1000]

import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { loadConfig, start } from "@kon/konui";
import { FakeKonsole } from "../packages/konui/test/support/fake-konsole.ts";
import { ADMIN_PASSWORD, listeningConfig, silentLogger } from "../packages/konui/test/support/harness.ts";
import type { ChildMessage, ParentMessage, RoundSamples } from "./support/fanout-clients.ts";
import { konuiCalls } from "./support/konui-calls.ts";

const ROUNDS = Number(process.argv[2] ?? 3);
const SOCKETS = Number(process.argv[3] ?? 1000);
const GOAL_P99_MS = 50;

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** The client process and a typed request/answer over IPC. */
function startClients(): { child: ChildProcess; next: <T extends ChildMessage["type"]>(type: T) => Promise<Extract<ChildMessage, { type: T }>>; send: (m: ParentMessage) => void } {
  const child = fork(path.join(import.meta.dirname, "support", "fanout-clients.ts"), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const queue: ChildMessage[] = [];
  const waiters: ((m: ChildMessage) => void)[] = [];
  child.on("message", (message: ChildMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const next = <T extends ChildMessage["type"]>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const take = (message: ChildMessage) => {
        if (message.type === type) resolve(message as Extract<ChildMessage, { type: T }>);
        else reject(new Error(message.type === "failed" ? `client process: ${message.error}` : `expected ${type}, got ${message.type}`));
      };
      const queued = queue.shift();
      if (queued) take(queued);
      else waiters.push(take);
    });
  return { child, next, send: (m) => child.send(m) };
}

/** The baseline: a `ws` server that relays every frame of its feed to every other socket, once stringified. */
async function startBareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const clients = new Set<WebSocket>();
  wss.on("connection", (socket, request) => {
    if (request.url === "/feed") {
      socket.on("message", (data: Buffer) => {
        const text = data.toString("utf8");
        for (const client of clients) client.send(text);
      });
      return;
    }
    clients.add(socket);
    socket.on("close", () => clients.delete(socket));
  });
  return {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

const clients = startClients();
const { konsoleUrl } = await clients.next("ready");
const konsole = new FakeKonsole();
konsole.script = () => ({ status: "succeeded", hold: true });
// konui as deployed: the test harness's config sends every text delta alone, konui's default joins
// those within its progress window.
const { progressWindowMs } = loadConfig({ KONSOLE_SERVICE_TOKEN: "bench-only-service-token" });
const konui = await start({ ...listeningConfig({ KONSOLE_URL: konsoleUrl }), progressWindowMs }, { konsole, logger: silentLogger, print: () => {} });
const bare = await startBareServer();

const { call, login } = konuiCalls(konui.url);

// Three logins of the session's owner and one admin: every socket may see the turn.
const admin = await login("admin", ADMIN_PASSWORD);
await call("POST", "/api/users", admin, { username: "alice", password: "alice-password" });
const tokens = [admin, ...(await Promise.all([1, 2, 3].map(() => login("alice", "alice-password"))))];
const alice = tokens[1] ?? "";
const session = await call<{ id: string }>("POST", "/api/agents/claude/session", alice, { title: "fan-out" });

clients.send({ type: "connect", konuiUrl: konui.url, tokens, bareUrl: bare.url, sockets: SOCKETS });
const connected = await clients.next("connected");
console.log(`live fan-out bench: ${connected.konui} sockets on konui's /api/live, ${connected.bare} on a bare ws server; ${ROUNDS} interleaved rounds (+1 warm-up)\n`);

interface Side {
  delays: number[];
  /** Server CPU above idle, µs. */
  cpuUs: number;
  frames: number;
  turns: number;
  clientCpuMs: number;
  wallMs: number;
  last?: RoundSamples;
}
const sides: Record<"konui" | "bare", Side> = {
  konui: { delays: [], cpuUs: 0, frames: 0, turns: 0, clientCpuMs: 0, wallMs: 0 },
  bare: { delays: [], cpuUs: 0, frames: 0, turns: 0, clientCpuMs: 0, wallMs: 0 },
};

async function round(side: "konui" | "bare", counted: boolean): Promise<void> {
  let message: ParentMessage = { type: "bare-round" };
  if (side === "konui") {
    const sent = await call<{ turnId: string; userMessage: { id: string } }>("POST", `/api/agents/claude/sessions/${session.id}/message?async=true`, alice, {
      text: "Why does the handler test fail?",
    });
    const turn = konsole.turns.get(sent.turnId);
    if (!turn) throw new Error("the fake konsole has no such turn");
    message = { type: "konui-round", turn, userMessageId: sent.userMessage.id };
  }
  const before = process.cpuUsage();
  const startedAt = performance.now();
  clients.send(message);
  await clients.next("round-done");
  const used = process.cpuUsage(before);
  const wallMs = performance.now() - startedAt;
  clients.send({ type: "samples" });
  const { samples } = await clients.next("samples");
  if (!counted) return;
  const total = sides[side];
  total.delays.push(...samples.delaysMs);
  total.cpuUs += Math.max(0, used.user + used.system - idleUsPerMs * wallMs);
  total.frames += samples.framesPerSocket;
  total.turns += 1;
  total.clientCpuMs += samples.clientCpuMs;
  total.wallMs += samples.durationMs;
  total.last = samples;
}

await round("konui", false);
await round("bare", false);
// What this process burns doing nothing (timers, GC), subtracted from each round by its length.
const idleStart = process.cpuUsage();
const idleWall = performance.now();
await new Promise((resolve) => setTimeout(resolve, 2000));
const idleUsed = process.cpuUsage(idleStart);
const idleUsPerMs = (idleUsed.user + idleUsed.system) / (performance.now() - idleWall);

for (let i = 0; i < ROUNDS; i++) {
  await round("konui", true);
  await round("bare", true);
}

const figures = (side: Side) => {
  const sorted = [...side.delays].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    cpuPerFrameMs: side.cpuUs / 1000 / side.frames,
    cpuPerTurnMs: side.cpuUs / 1000 / side.turns,
  };
};
const k = figures(sides.konui);
const b = figures(sides.bare);
const row = (label: string, f: ReturnType<typeof figures>, side: Side) =>
  console.log(
    `${label.padEnd(6)} p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   max ${f.max.toFixed(1).padStart(6)} ms   ` +
      `CPU ${f.cpuPerFrameMs.toFixed(2).padStart(6)} ms/frame (${((f.cpuPerFrameMs * 1000) / SOCKETS).toFixed(1)} µs/delivery, ${f.cpuPerTurnMs.toFixed(0)} ms/turn)   ` +
      `${side.delays.length} deliveries; client process CPU ${((side.clientCpuMs / side.wallMs) * 100).toFixed(0)}% of the round`,
  );
const last = sides.konui.last;
if (last) {
  console.log(
    `a turn: ${last.entries} journal entries over ${(last.durationMs / 1000).toFixed(1)} s → ${last.framesPerSocket} frames per socket (${Object.entries(last.frameTypes).map(([type, n]) => `${type} ${n}`).join(", ")})`,
  );
  console.log(`server CPU is this process's above its idle rate (${idleUsPerMs.toFixed(1)} ms CPU per s, measured after the warm-up)`);
  if (last.unattributed > 0) console.log(`  ${last.unattributed} frame(s) per socket not caused by the turn's entries (left out)`);
  if (last.offProtocol > 0) console.log(`  ${last.offProtocol} frame(s) per socket do not parse as @kon/protocol's DashboardServerFrame`);
}
row("konui", k, sides.konui);
row("bare", b, sides.bare);
console.log(`\nkonui/bare: p50 ${(k.p50 / b.p50).toFixed(2)}x, p99 ${(k.p99 / b.p99).toFixed(2)}x, CPU per frame ${(k.cpuPerFrameMs / b.cpuPerFrameMs).toFixed(2)}x`);
console.log(`goal: konui p99 < ${GOAL_P99_MS} ms: ${k.p99 < GOAL_P99_MS ? "met" : "NOT met"} (${k.p99.toFixed(1)} ms)`);

clients.send({ type: "stop" });
await new Promise<void>((resolve) => clients.child.once("exit", () => resolve()));
await konui.stop();
await bare.close();
