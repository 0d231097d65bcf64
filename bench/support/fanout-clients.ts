// The client side of bench/live-fanout.ts, in its own process so that its CPU is not the
// server's: konsole's journal socket (the stand-in konui's consumer follows), the dashboard
// sockets on konui's /api/live and on the bare server, and the feed of the bare server. Send and
// arrival times are both taken here, on one clock. Driven by the parent over IPC.

import { performance } from "node:perf_hooks";
import { DASHBOARD_BEARER_PROTOCOL, DashboardServerFrame, type Turn } from "@kon/protocol";
import WebSocket from "ws";
import { KonsoleWsStub } from "../../packages/konui/test/support/konsole-ws-stub.ts";
import { frameKey, runningTurnScript, sourceOf, type ScriptedEntry } from "./running-turn.ts";

export type ParentMessage =
  | { type: "connect"; konuiUrl: string; tokens: string[]; bareUrl: string; sockets: number }
  | { type: "konui-round"; turn: Turn; userMessageId: string }
  | { type: "bare-round" }
  | { type: "samples" }
  | { type: "stop" };

export interface RoundSamples {
  /** Delivery delay of every frame on every socket, ms. */
  delaysMs: number[];
  /** Frames each socket received from the turn's entries. */
  framesPerSocket: number;
  /** Frames that no entry of the turn explains (they are left out of the delays). */
  unattributed: number;
  /** Frames that did not parse as a DashboardServerFrame of @kon/protocol. */
  offProtocol: number;
  frameTypes: Record<string, number>;
  /** Journal entries the turn consisted of. */
  entries: number;
  /** From the first entry sent to the last frame received, ms. */
  durationMs: number;
  /** CPU this client process used in the round, ms: when it nears the round's length, the clients are the bottleneck. */
  clientCpuMs: number;
  sockets: number;
}

export type ChildMessage =
  | { type: "ready"; konsoleUrl: string }
  | { type: "connected"; konui: number; bare: number }
  | { type: "round-done" }
  | { type: "samples"; samples: RoundSamples }
  | { type: "failed"; error: string };

interface Arrival {
  raw: string;
  at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (message: ChildMessage) => process.send?.(message);

/** A dashboard socket: what arrived and when, and whether what the round waits for has come. */
class ClientSocket {
  readonly arrivals: Arrival[] = [];
  private awaited: ((raw: string) => boolean) | undefined;
  private onMatch: () => void = () => {};

  constructor(readonly socket: WebSocket) {
    socket.on("message", (data: Buffer) => {
      const raw = data.toString("utf8");
      this.arrivals.push({ raw, at: performance.now() });
      if (this.awaited?.(raw)) {
        this.awaited = undefined;
        this.onMatch();
      }
    });
  }

  /** Resolves once a frame arrives (from now on, or already arrived) that `matches` accepts. */
  await(matches: (raw: string) => boolean): Promise<void> {
    if (this.arrivals.some((a) => matches(a.raw))) return Promise.resolve();
    return new Promise((resolve) => {
      this.awaited = matches;
      this.onMatch = resolve;
    });
  }
}

function open(url: string, protocols: string[] = []): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { perMessageDeflate: false });
    const client = new ClientSocket(socket);
    socket.once("open", () => resolve(client));
    socket.once("unexpected-response", (_req, res) => reject(new Error(`${url}: HTTP ${res.statusCode}`)));
    socket.once("error", reject);
  });
}

async function openMany(count: number, make: (i: number) => Promise<ClientSocket>): Promise<ClientSocket[]> {
  const opened: ClientSocket[] = [];
  for (let i = 0; i < count; i += 50) {
    opened.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => make(i + j)))));
  }
  return opened;
}

/** Parsed once per distinct frame text: every socket receives the same bytes. */
class FrameCache {
  private readonly known = new Map<string, { frame: Record<string, unknown>; valid: boolean }>();
  read(raw: string) {
    let hit = this.known.get(raw);
    if (!hit) {
      const value = JSON.parse(raw) as Record<string, unknown>;
      const parsed = DashboardServerFrame.safeParse(value);
      hit = { frame: value, valid: parsed.success };
      this.known.set(raw, hit);
    }
    return hit;
  }
}

const stub = await KonsoleWsStub.start();
let konuiSockets: ClientSocket[] = [];
let bareSockets: ClientSocket[] = [];
let feed: WebSocket | undefined;
/** Frames of the last konui round in order, with their send time from its start: what the bare server replays. */
let replay: { raw: string; offsetMs: number }[] = [];
let lastSamples: RoundSamples | undefined;

/** Resolves when every socket has had a frame `matches` accepts; fails after a minute. */
function everySocket(sockets: readonly ClientSocket[], matches: (raw: string) => boolean): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("frames missing after 60 s")), 60_000);
  });
  return Promise.race([Promise.all(sockets.map((s) => s.await(matches))).then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

async function playScript(entries: ScriptedEntry[], turn: Turn): Promise<number[]> {
  const sentAt: number[] = [];
  const start = performance.now();
  let due = start;
  for (const entry of entries) {
    due += entry.delayMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    sentAt.push(performance.now());
    stub.append(turn.id, turn.sessionId, entry.payload);
  }
  return sentAt;
}

async function konuiRound(turn: Turn, userMessageId: string): Promise<void> {
  const frames = new FrameCache();
  const isMessage = (raw: string, matches: (message: { id?: string; role?: string }) => boolean) => {
    if (!raw.includes('"message"')) return false;
    const { frame } = frames.read(raw);
    return frame.type === "message" && matches((frame.message ?? {}) as { id?: string; role?: string });
  };
  const isUserMessage = (raw: string) => isMessage(raw, (m) => m.id === userMessageId);
  const isReply = (raw: string) => isMessage(raw, (m) => m.role === "assistant");
  // The send route's own frames (the user message, the queued turn) are not the turn's fan-out.
  await everySocket(konuiSockets, isUserMessage);
  await sleep(100);
  for (const s of konuiSockets) s.arrivals.length = 0;

  const entries = runningTurnScript(turn);
  const cpu = process.cpuUsage();
  const replied = everySocket(konuiSockets, isReply);
  const sentAt = await playScript(entries, turn);
  await replied;
  const durationMs = performance.now() - (sentAt[0] ?? 0);
  const clientCpu = process.cpuUsage(cpu);
  send({ type: "round-done" });

  const start = sentAt[0] ?? 0;
  const samples: RoundSamples = { delaysMs: [], framesPerSocket: 0, unattributed: 0, offProtocol: 0, frameTypes: {}, entries: entries.length, durationMs, clientCpuMs: (clientCpu.user + clientCpu.system) / 1000, sockets: konuiSockets.length };
  replay = [];
  konuiSockets.forEach(({ arrivals }, socketIndex) => {
    for (const arrival of arrivals) {
      const { frame, valid } = frames.read(arrival.raw);
      const key = frameKey(frame);
      const text = frame.type === "progress" && typeof frame.text === "string" ? frame.text : undefined;
      const source = sourceOf(entries, sentAt, key, text, arrival.at);
      const sent = source === undefined ? undefined : sentAt[source];
      if (socketIndex === 0) {
        samples.frameTypes[String(frame.type)] = (samples.frameTypes[String(frame.type)] ?? 0) + 1;
        if (!valid) samples.offProtocol += 1;
        if (sent === undefined) samples.unattributed += 1;
        else {
          samples.framesPerSocket += 1;
          replay.push({ raw: arrival.raw, offsetMs: sent - start });
        }
      }
      if (sent !== undefined) samples.delaysMs.push(arrival.at - sent);
    }
  });
  lastSamples = samples;
}

async function bareRound(): Promise<void> {
  if (!feed) throw new Error("not connected");
  for (const s of bareSockets) s.arrivals.length = 0;
  const last = replay.at(-1)?.raw;
  const delivered = everySocket(bareSockets, (raw) => raw === last);
  const sentAt: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const frame of replay) {
    const wait = start + frame.offsetMs - performance.now();
    if (wait > 0) await sleep(wait);
    sentAt.push(performance.now());
    feed.send(frame.raw);
  }
  await delivered;
  const durationMs = performance.now() - start;
  const clientCpu = process.cpuUsage(cpu);
  send({ type: "round-done" });
  const samples: RoundSamples = { delaysMs: [], framesPerSocket: replay.length, unattributed: 0, offProtocol: 0, frameTypes: {}, entries: replay.length, durationMs, clientCpuMs: (clientCpu.user + clientCpu.system) / 1000, sockets: bareSockets.length };
  for (const { arrivals } of bareSockets) {
    arrivals.forEach((arrival, i) => samples.delaysMs.push(arrival.at - (sentAt[i] ?? arrival.at)));
  }
  lastSamples = samples;
}

async function connect(message: Extract<ParentMessage, { type: "connect" }>): Promise<void> {
  const wsOf = (url: string) => url.replace(/^http/, "ws");
  const until = performance.now() + 30_000;
  while (stub.connections === 0) {
    if (performance.now() > until) throw new Error("konui's consumer never subscribed to the konsole stand-in");
    await sleep(10);
  }
  konuiSockets = await openMany(message.sockets, (i) =>
    open(`${wsOf(message.konuiUrl)}/api/live`, [DASHBOARD_BEARER_PROTOCOL, message.tokens[i % message.tokens.length] ?? ""]),
  );
  bareSockets = await openMany(message.sockets, () => open(`${wsOf(message.bareUrl)}/live`));
  feed = (await open(`${wsOf(message.bareUrl)}/feed`)).socket;
  // Every konui socket is greeted before it counts as open.
  await everySocket(konuiSockets, (raw) => raw.includes('"hello"'));
  send({ type: "connected", konui: konuiSockets.length, bare: bareSockets.length });
}

process.on("message", (message: ParentMessage) => {
  const run = async () => {
    if (message.type === "connect") await connect(message);
    else if (message.type === "konui-round") await konuiRound(message.turn, message.userMessageId);
    else if (message.type === "bare-round") await bareRound();
    else if (message.type === "samples") {
      if (!lastSamples) throw new Error("no round yet");
      send({ type: "samples", samples: lastSamples });
    } else if (message.type === "stop") {
      for (const { socket } of [...konuiSockets, ...bareSockets]) socket.terminate();
      feed?.terminate();
      await stub.close();
      process.disconnect();
    }
  };
  run().catch((err: unknown) => send({ type: "failed", error: err instanceof Error ? err.message : String(err) }));
});

// Never outlive the bench.
process.on("disconnect", () => process.exit(0));
send({ type: "ready", konsoleUrl: stub.url });
