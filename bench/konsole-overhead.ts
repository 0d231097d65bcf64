// konsole's overhead on a cold turn: the same turn through konsole (POST …/turns?wait=true)
// and by running the CLI directly (spawn, prompt on stdin, until its `result`), interleaved,
// against an instant Messages API stand-in. Through konsole is timed from sending the HTTP
// request to its answer (konsole answers at the turn's `result` line, not at the exit); directly
// is timed from the spawn to the `result` line on stdout. Prints medians, the ratio and the
// difference, and the median of the per-round differences (each round runs both back to back,
// so it is steadier on a busy machine than the difference of the medians). A third run gives the
// CLI's own figure for what konsole asks of it: the control protocol's `initialize` (which
// konsole sends so tool permissions are asked of it over stdio) and then the prompt.
//   tsx bench/konsole-overhead.ts [rounds=10]

import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { plainText } from "@kon/e2e/support/messages-api";
import { buildInitializeRequest } from "@kon/protocol";
import { endDirect, median, pairedMedian, startBenchKonsole } from "./support/bench-konsole.ts";

const rounds = Number(process.argv[2] ?? 10);

const bench = await startBenchKonsole(plainText("OK"));
const { konsole, home } = bench;

async function direct(initialize = false): Promise<number> {
  const began = performance.now();
  const claude = bench.startDirect({ kind: "new", claudeSessionId: randomUUID() }, 5);
  if (initialize) claude.write(JSON.stringify(buildInitializeRequest(`init-${randomUUID()}`)));
  claude.send("hello");
  await claude.nextResult();
  const elapsed = performance.now() - began;
  await endDirect(claude);
  return elapsed;
}

let sessionCounter = 0;
async function throughKonsole(): Promise<number> {
  const began = performance.now();
  const response = await bench.call("POST", `/sessions/bench-${++sessionCounter}/turns?wait=true`, {
    userId: "bench",
    text: "hello",
    maxTurns: 5,
    cwd: home.cwd,
  });
  const turn = (await response.json()) as { status: string };
  const elapsed = performance.now() - began;
  if (turn.status !== "succeeded") throw new Error(`turn ${turn.status}`);
  // Let the finished process be reaped before the next round, as the direct run waits for its exit.
  while (konsole.supervisor.slots.inUse > 0) await sleep(5);
  return elapsed;
}

try {
  await direct();
  await direct(true);
  await throughKonsole();
  const directMs: number[] = [];
  const initializedMs: number[] = [];
  const konsoleMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      directMs.push(await direct());
      initializedMs.push(await direct(true));
      konsoleMs.push(await throughKonsole());
    } else {
      konsoleMs.push(await throughKonsole());
      initializedMs.push(await direct(true));
      directMs.push(await direct());
    }
  }
  const directMedian = median(directMs);
  const initializedMedian = median(initializedMs);
  const konsoleMedian = median(konsoleMs);
  const pairedMs = pairedMedian(konsoleMs, directMs);
  console.log(`cold turn, ${rounds} rounds each, interleaved`);
  console.log(`  CLI directly    median ${directMedian.toFixed(1)} ms   (spawn → result line on stdout)`);
  console.log(`  CLI + initialize median ${initializedMedian.toFixed(1)} ms   (the same, the control protocol's initialize written first)`);
  console.log(`  through konsole median ${konsoleMedian.toFixed(1)} ms   (HTTP request → ?wait=true answer)`);
  console.log(`  ratio ${(konsoleMedian / directMedian).toFixed(3)}  overhead ${(konsoleMedian - directMedian).toFixed(1)} ms (${(((konsoleMedian - directMedian) / directMedian) * 100).toFixed(1)} %)`);
  console.log(`  median of per-round differences ${pairedMs.toFixed(1)} ms (${((pairedMs / directMedian) * 100).toFixed(1)} %)`);
  const ownMs = konsoleMedian - initializedMedian;
  console.log(`  of which the CLI's initialize ${(initializedMedian - directMedian).toFixed(1)} ms; konsole's own ${ownMs.toFixed(1)} ms (ratio ${(konsoleMedian / initializedMedian).toFixed(3)})`);
  console.log("  target: under 5 % and under 30 ms");
} finally {
  await bench.stop();
}
