// Hot sessions against cold turns, interleaved, against an instant Messages API stand-in:
//   first prompt of a new conversation: cold (spawn --session-id)  vs  from the pre-warmed pool
//   next prompt of that conversation:   cold (spawn --resume)      vs  on the live hot process
// Time to first event is from sending the request to the first model output konsole journals
// for the turn; total is until `?wait=true` answers. Also prints RSS per hot process.
//   tsx bench/konsole-hot.ts [rounds=10]

import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { HotStatus, Turn } from "@kon/protocol";
import { memory } from "../test/support/messages-api.ts";
import { median, startBenchKonsole } from "./support/bench-konsole.ts";

const rounds = Number(process.argv[2] ?? 10);
const bench = await startBenchKonsole(memory(), { KONSOLE_HOT_POOL_SIZE: "1", KONSOLE_MAX_PROCESSES: "4" });
const { konsole } = bench;

interface Timing {
  ttfeMs: number;
  totalMs: number;
}

/** Sends one prompt and times it from the client's side, seeing the first model output in the journal. */
async function timedPrompt(route: string, sessionId: string, text: string): Promise<Timing> {
  let firstEventAt: number | undefined;
  const unsubscribe = konsole.journal.subscribe((entry) => {
    if (entry.sessionId !== sessionId || firstEventAt !== undefined || entry.payload.type !== "claude") return;
    const line = entry.payload.line;
    if (line.kind === "event" && (line.event.type === "assistant" || line.event.type === "stream_event")) firstEventAt = performance.now();
  });
  const began = performance.now();
  const response = await bench.call("POST", `/sessions/${sessionId}/${route}?wait=true`, { userId: "bench", text, maxTurns: 50 });
  const totalMs = performance.now() - began;
  unsubscribe();
  const turn = (await response.json()) as Turn;
  if (turn.status !== "succeeded") throw new Error(`${route} ${sessionId}: turn ${turn.status} ${turn.error?.message ?? ""}`);
  return { ttfeMs: (firstEventAt ?? performance.now()) - began, totalMs };
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

const samples = { coldFirst: [] as Timing[], poolFirst: [] as Timing[], coldNext: [] as Timing[], hotNext: [] as Timing[] };
const rss: number[] = [];

async function round(index: number, measured: boolean): Promise<void> {
  const cold = `cold-${index}`;
  const hot = `hot-${index}`;
  const record = (key: keyof typeof samples, timing: Timing): void => {
    if (measured) samples[key].push(timing);
  };
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
  if (measured) {
    for (const entry of (await hotStatus()).processes) if (entry.rssBytes !== null && entry.state === "idle") rss.push(entry.rssBytes);
  }
  await bench.call("DELETE", `/sessions/${hot}`);
  await bench.call("DELETE", `/sessions/${cold}`);
}

const line = (label: string, values: Timing[]): { ttfe: number; total: number } => {
  const ttfe = median(values.map((value) => value.ttfeMs));
  const total = median(values.map((value) => value.totalMs));
  console.log(`  ${label.padEnd(34)} first event ${ttfe.toFixed(1).padStart(7)} ms   total ${total.toFixed(1).padStart(7)} ms`);
  return { ttfe, total };
};

try {
  await round(-1, false);
  for (let index = 0; index < rounds; index++) await round(index, true);
  console.log(`hot sessions vs cold turns, ${rounds} rounds, interleaved, medians`);
  console.log("first prompt of a new conversation");
  const coldFirst = line("cold (spawn --session-id)", samples.coldFirst);
  const poolFirst = line("from the pre-warmed pool", samples.poolFirst);
  console.log(`  ratio cold/pool: first event ${(coldFirst.ttfe / poolFirst.ttfe).toFixed(1)}x, total ${(coldFirst.total / poolFirst.total).toFixed(1)}x`);
  console.log("next prompt of the same conversation");
  const coldNext = line("cold (spawn --resume)", samples.coldNext);
  const hotNext = line("hot (live process)", samples.hotNext);
  console.log(`  ratio cold/hot: first event ${(coldNext.ttfe / hotNext.ttfe).toFixed(1)}x, total ${(coldNext.total / hotNext.total).toFixed(1)}x   (target: first event >= 10x)`);
  const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
  console.log(`RSS per hot process: median ${mib(median(rss))} MiB (min ${mib(Math.min(...rss))}, max ${mib(Math.max(...rss))}, ${rss.length} samples)`);
} finally {
  await bench.stop();
}
