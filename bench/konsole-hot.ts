// Hot sessions against cold turns, interleaved, against an instant Messages API stand-in:
//   first prompt of a new conversation: cold (spawn --session-id)  vs  from the pre-warmed pool
//   next prompt of that conversation:   cold (spawn --resume)      vs  on the live hot process
// Every konsole figure is taken the way konsole's client sees it: time to first event is from
// sending the prompt's HTTP request to the arrival of the turn's first model output (an
// `assistant` or `stream_event` line) over konsole's journal WebSocket; total is until
// `?wait=true` answers. The same prompts run on the CLI directly (no konsole) in the same rounds,
// in the same order, with a spare process started ahead like the pool's, timed from the spawn
// (cold) or the stdin line (hot) to the first model output line on stdout: the floor konsole's
// figures can reach. Also prints RSS per hot process.
//   tsx bench/konsole-hot.ts [rounds=10]

import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { memory } from "@kon/e2e/support/messages-api";
import type { ClaudeProcess } from "@kon/e2e/support/run-claude";
import type { Conversation } from "@kon/konsole/claude/args";
import type { ClaudeEvent, HotStatus, Turn } from "@kon/protocol";
import { endDirect, median, pairedMedian, startBenchKonsole } from "./support/bench-konsole.ts";
import { isModelOutput, openJournalSocket } from "./support/journal-socket.ts";

const rounds = Number(process.argv[2] ?? 10);
/** KONSOLE_HOT_MAX_TURNS's default: the pool's processes are started with it, so the prompts fit them. */
const MAX_TURNS = 50;
const bench = await startBenchKonsole(memory(), { KONSOLE_HOT_POOL_SIZE: "1", KONSOLE_MAX_PROCESSES: "4" });
const { konsole } = bench;
const journal = await openJournalSocket(konsole.url, bench.serviceToken);

interface Timing {
  ttfeMs: number;
  totalMs: number;
  /** Where a konsole prompt's first event went, from konsole's event bus (in-process, one clock). */
  split?: Split;
}

interface Split {
  /**
   * HTTP request sent → the turn marked running (`turn.started`). A prompt for a live or pooled
   * process is written first; the turn's rows are stored after the write, then it is marked.
   */
  inboundMs: number;
  /** Marked running → the first model output line journaled (the CLI's own time, less what it did while the rows were stored). */
  processMs: number;
  /** Journaled → arrival over the journal WebSocket at the client. */
  outboundMs: number;
}

/** Sends one prompt and times it from the client's side: first model output over the WebSocket, and the answer. */
async function timedPrompt(route: string, sessionId: string, text: string): Promise<Timing> {
  const firstEvent = journal.nextEntry((entry) => entry.sessionId === sessionId && isModelOutput(entry));
  let writtenAt = Number.NaN;
  let journaledAt = Number.NaN;
  const stopStarted = konsole.bus.on("turn.started", (event) => {
    if (event.sessionId === sessionId && Number.isNaN(writtenAt)) writtenAt = performance.now();
  });
  const stopAppended = konsole.bus.on("journal.appended", ({ entry }) => {
    if (entry.sessionId === sessionId && Number.isNaN(journaledAt) && isModelOutput(entry)) journaledAt = performance.now();
  });
  const began = performance.now();
  try {
    const response = await bench.call("POST", `/sessions/${sessionId}/${route}?wait=true`, { userId: "bench", text, maxTurns: MAX_TURNS });
    const totalMs = performance.now() - began;
    const turn = (await response.json()) as Turn;
    if (turn.status !== "succeeded") throw new Error(`${route} ${sessionId}: turn ${turn.status} ${turn.error?.message ?? ""}`);
    const arrivedAt = await firstEvent;
    const split = { inboundMs: writtenAt - began, processMs: journaledAt - writtenAt, outboundMs: arrivedAt - journaledAt };
    return { ttfeMs: arrivedAt - began, totalMs, split };
  } finally {
    stopStarted();
    stopAppended();
  }
}

const isModelEvent = (event: ClaudeEvent): boolean => event.type === "assistant" || event.type === "stream_event";

/** One prompt on a `claude` process run directly, from `began` to its first model output line and its result. */
async function timedDirect(claude: ClaudeProcess, text: string, began = performance.now()): Promise<Timing> {
  const from = claude.events.length;
  claude.send(text);
  await claude.waitForEvent(isModelEvent, { from });
  const ttfeMs = performance.now() - began;
  await claude.nextResult();
  return { ttfeMs, totalMs: performance.now() - began };
}

/** A cold prompt on the CLI directly: spawn, one line, until its result; then it exits. */
async function directCold(conversation: Conversation, text: string): Promise<Timing> {
  const began = performance.now();
  const claude = bench.startDirect(conversation, MAX_TURNS);
  const timing = await timedDirect(claude, text, began);
  await endDirect(claude);
  return timing;
}

const hotStatus = async (): Promise<HotStatus> => (await (await bench.call("GET", "/hot/status")).json()) as HotStatus;

/** Waits until the pool has a process past its start-up work and no cold process is still being reaped. */
async function settle(): Promise<void> {
  for (;;) {
    const status = await hotStatus();
    const poolReady = status.processes.some((entry) => entry.sessionId === null && entry.state === "idle" && entry.ageSec >= 2);
    if (poolReady && konsole.supervisor.slots.inUse === status.processes.length) return;
    await sleep(20);
  }
}

const samples = {
  coldFirst: [] as Timing[],
  poolFirst: [] as Timing[],
  coldNext: [] as Timing[],
  hotNext: [] as Timing[],
  directColdFirst: [] as Timing[],
  directPoolFirst: [] as Timing[],
  directColdNext: [] as Timing[],
  directHotNext: [] as Timing[],
};
const rss: number[] = [];

async function konsoleRound(index: number, record: (key: keyof typeof samples, timing: Timing) => void): Promise<void> {
  const cold = `cold-${index}`;
  const hot = `hot-${index}`;
  const steps: Array<() => Promise<void>> = [
    async () => record("coldFirst", await timedPrompt("turns", cold, "Remember 4")),
    async () => record("poolFirst", await timedPrompt("hot-prompt", hot, "Remember 4")),
  ];
  const nextSteps: Array<() => Promise<void>> = [
    async () => record("coldNext", await timedPrompt("turns", cold, "What number?")),
    async () => record("hotNext", await timedPrompt("hot-prompt", hot, "What number?")),
  ];
  for (const group of [steps, nextSteps]) {
    for (const step of index % 2 === 0 ? group : [...group].reverse()) {
      await settle();
      await step();
    }
  }
  for (const entry of (await hotStatus()).processes) if (entry.rssBytes !== null && entry.state === "idle") rss.push(entry.rssBytes);
  await bench.call("DELETE", `/sessions/${hot}`);
  await bench.call("DELETE", `/sessions/${cold}`);
}

/** A spare `claude` started ahead, like the pool's; a step waits until it is past its start-up work. */
let spare: { claude: ClaudeProcess; spawnedAt: number } | undefined;
function spawnSpare(): void {
  spare = { claude: bench.startDirect({ kind: "new", claudeSessionId: randomUUID() }, MAX_TURNS), spawnedAt: performance.now() };
}
async function settleDirect(): Promise<void> {
  if (!spare) spawnSpare();
  await sleep(Math.max(0, 2_000 - (performance.now() - (spare?.spawnedAt ?? 0))));
}

/** The konsole round's prompts on the CLI directly, in the same order and with the same spare process. */
async function directRound(index: number, record: (key: keyof typeof samples, timing: Timing) => void): Promise<void> {
  const conversation = randomUUID();
  let live: ClaudeProcess | undefined;
  const steps: Array<() => Promise<void>> = [
    async () => record("directColdFirst", await directCold({ kind: "new", claudeSessionId: conversation }, "Remember 4")),
    async () => {
      live = spare?.claude;
      spawnSpare();
      if (live) record("directPoolFirst", await timedDirect(live, "Remember 4"));
    },
  ];
  const nextSteps: Array<() => Promise<void>> = [
    async () => record("directColdNext", await directCold({ kind: "resume", claudeSessionId: conversation }, "What number?")),
    async () => {
      if (live) record("directHotNext", await timedDirect(live, "What number?"));
    },
  ];
  for (const group of [steps, nextSteps]) {
    for (const step of index % 2 === 0 ? group : [...group].reverse()) {
      await settleDirect();
      await step();
    }
  }
  if (live) await endDirect(live);
}

async function round(index: number, measured: boolean): Promise<void> {
  const record = (key: keyof typeof samples, timing: Timing): void => {
    if (measured) samples[key].push(timing);
  };
  if (index % 2 === 0) {
    await konsoleRound(index, record);
    await directRound(index, record);
  } else {
    await directRound(index, record);
    await konsoleRound(index, record);
  }
}

const line = (label: string, values: Timing[]): { ttfe: number; total: number } => {
  const ttfe = median(values.map((value) => value.ttfeMs));
  const total = median(values.map((value) => value.totalMs));
  console.log(`  ${label.padEnd(34)} first event ${ttfe.toFixed(1).padStart(7)} ms   total ${total.toFixed(1).padStart(7)} ms`);
  return { ttfe, total };
};

const pairedMs = (through: Timing[], direct: Timing[]): string =>
  pairedMedian(through.map((value) => value.ttfeMs), direct.map((value) => value.ttfeMs)).toFixed(1);

try {
  await round(-1, false);
  rss.length = 0;
  for (let index = 0; index < rounds; index++) await round(index, true);
  console.log(`hot sessions vs cold turns, ${rounds} rounds, interleaved, medians`);
  console.log("through konsole: from sending the HTTP request to the first model output over the journal WebSocket (first event)");
  console.log("and to the ?wait=true answer (total)");
  console.log("first prompt of a new conversation");
  const coldFirst = line("cold (spawn --session-id)", samples.coldFirst);
  const poolFirst = line("from the pre-warmed pool", samples.poolFirst);
  console.log(`  ratio cold/pool: first event ${(coldFirst.ttfe / poolFirst.ttfe).toFixed(1)}x, total ${(coldFirst.total / poolFirst.total).toFixed(1)}x`);
  console.log("next prompt of the same conversation");
  const coldNext = line("cold (spawn --resume)", samples.coldNext);
  const hotNext = line("hot (live process)", samples.hotNext);
  console.log(`  ratio cold/hot: first event ${(coldNext.ttfe / hotNext.ttfe).toFixed(1)}x, total ${(coldNext.total / hotNext.total).toFixed(1)}x   (target: first event >= 10x)`);
  console.log("the CLI directly, no konsole: from the spawn (cold) or the stdin line (hot) to the first model output line");
  console.log(" first prompt of a new conversation");
  const directColdFirst = line("cold (spawn --session-id)", samples.directColdFirst);
  const directPoolFirst = line("started and settled, first stdin line", samples.directPoolFirst);
  console.log(`  ratio cold/pool: first event ${(directColdFirst.ttfe / directPoolFirst.ttfe).toFixed(1)}x (the CLI's own ceiling for the pool ratio above)`);
  console.log(`  konsole's share of a pooled first prompt's first event: ${(poolFirst.ttfe - directPoolFirst.ttfe).toFixed(1)} ms (per-round median ${pairedMs(samples.poolFirst, samples.directPoolFirst)} ms)`);
  console.log(" next prompt of the same conversation");
  const directColdNext = line("cold (spawn --resume)", samples.directColdNext);
  const directHotNext = line("hot (live process)", samples.directHotNext);
  console.log(`  ratio cold/hot: first event ${(directColdNext.ttfe / directHotNext.ttfe).toFixed(1)}x (the CLI's own ceiling for the ratio above)`);
  console.log(`  konsole's share of a hot follow-up's first event: ${(hotNext.ttfe - directHotNext.ttfe).toFixed(1)} ms (per-round median ${pairedMs(samples.hotNext, samples.directHotNext)} ms)`);
  console.log("where a konsole prompt's first event went (medians, from konsole's event bus)");
  for (const [label, values] of [["pooled first prompt", samples.poolFirst], ["hot follow-up", samples.hotNext]] as const) {
    const splits = values.flatMap((value) => (value.split ? [value.split] : []));
    const part = (pick: (split: Split) => number): string => median(splits.map(pick)).toFixed(1).padStart(6);
    console.log(`  ${label.padEnd(20)} request → running ${part((x) => x.inboundMs)} ms   running → journaled ${part((x) => x.processMs)} ms   journaled → client ${part((x) => x.outboundMs)} ms`);
  }
  const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
  console.log(`RSS per hot process: median ${mib(median(rss))} MiB (min ${mib(Math.min(...rss))}, max ${mib(Math.max(...rss))}, ${rss.length} samples)`);
} finally {
  if (spare) await endDirect(spare.claude);
  journal.close();
  await bench.stop();
}
