// One konsole observing a corpus, in a process of its own so its peak RSS is its own: the full
// index of the corpus, then appends of one line each, timed until the API shows them.
//   node --import tsx bench/support/observer-child.ts <configDir> <appendRounds>
// Prints one JSON line: indexMs, the counters of the index, and per-append latency and work.

import { appendFileSync, closeSync, fstatSync, openSync, readSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { ObservedSessionDetail, ObservedUsageReport } from "@kon/protocol";
import { startObservingKonsole } from "../../packages/konsole/test/support/observing-konsole.ts";
import { assistantLine } from "../../packages/konsole/test/support/transcript-lines.ts";

const [corpus = "", roundsArg = "50"] = process.argv.slice(2);
const rounds = Number(roundsArg);

const began = performance.now();
const observing = await startObservingKonsole([corpus]);
await observing.settled();
const indexMs = performance.now() - began;
const observer = observing.konsole.observer.observer;
const indexCounters = { ...observer.counters };
const totals = ObservedUsageReport.parse((await observing.get("/observer/usage?groupBy=model")).body).totals;

const projects = path.join(corpus, "projects");
/** Appending to a file that ends in a partial line would only finish that line. */
function endsWithNewline(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, Math.max(0, fstatSync(fd).size - 1));
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
const files = (await readdir(projects, { recursive: true })).filter(
  (name) => name.endsWith(".jsonl") && !name.includes("subagents") && endsWithNewline(path.join(projects, name)),
);
const latencies: number[] = [];
const work = { filesExamined: 0, bytesRead: 0, lines: 0 };
for (let round = 0; round < rounds; round++) {
  const file = path.join(projects, files[(round * 7919) % files.length] ?? "");
  const sessionId = path.basename(file, ".jsonl");
  const before = ObservedSessionDetail.parse((await observing.get(`/observer/sessions/${sessionId}`)).body).usage.messages;
  const counters = { ...observer.counters };
  const line = assistantLine({ sessionId, messageId: `msg_bench_${process.pid}_${round}`, requestId: `req_bench_${process.pid}_${round}`, at: new Date().toISOString(), usage: { input: 10, output: 10 } });
  const written = performance.now();
  appendFileSync(file, `${line}\n`);
  for (;;) {
    if (performance.now() - written > 30_000) throw new Error(`an append to ${file} did not show within 30 s`);
    const now = ObservedSessionDetail.parse((await observing.get(`/observer/sessions/${sessionId}`)).body).usage.messages;
    if (now > before) break;
    // konsole serves these polls on the event loop the observer runs on: leave it room.
    await sleep(5);
  }
  latencies.push(performance.now() - written);
  await observing.settled();
  work.filesExamined += observer.counters.filesExamined - counters.filesExamined;
  work.bytesRead += observer.counters.bytesRead - counters.bytesRead;
  work.lines += observer.counters.lines - counters.lines;
}
await observing.stop();
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(
  JSON.stringify({
    indexMs,
    indexCounters,
    totals,
    append: {
      rounds,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: latencies.at(-1) ?? 0,
      perAppend: { filesExamined: work.filesExamined / rounds, bytesRead: work.bytesRead / rounds, lines: work.lines / rounds },
    },
  }),
);
