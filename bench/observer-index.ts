// The host observer against ccusage on the same generated corpus, side by side in one run:
// - a full index of the corpus by konsole's observer (a konsole process of its own: from start
//   until nothing is pending) vs `ccusage daily --json --offline` (pinned, in the test package)
//   reading the same files: wall time of each process, the ratio (goal: observer ≥ 3x faster)
//   and each process's peak RSS (goal: observer ≤ 200 MB whatever the corpus size);
// - appending one line to a transcript of that corpus: time until `GET /observer/sessions/:id`
//   shows it (goal p99 < 1 s) and the work per append (files examined, bytes and lines read),
//   on the corpus and on one a tenth its size: it must not grow with the corpus.
//   BENCH_OBSERVER_MB=500 BENCH_APPENDS=50 tsx bench/observer-index.ts
// The corpus is generated into a temp dir (packages/konsole/test/support/transcript-generator.ts)
// and removed afterwards.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { generateCorpus } from "../packages/konsole/test/support/transcript-generator.ts";

const sizeMb = Number(process.env.BENCH_OBSERVER_MB ?? 500);
const appends = Number(process.env.BENCH_APPENDS ?? 50);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const preload = path.join(here, "support", "print-max-rss.mjs");
const ccusage = path.join(path.dirname(createRequire(path.join(repo, "test", "package.json")).resolve("ccusage/package.json")), "dist", "index.js");

interface Run {
  wallMs: number;
  maxRssMb: number;
  stdout: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(process.execPath, ["--import", preload, ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - began;
      const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(stderr)?.[1];
      if (code !== 0 || !rss) return reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ wallMs, maxRssMb: Number(rss) / 1024, stdout });
    });
  });
}

interface ObserverFigures {
  indexMs: number;
  indexCounters: { bytesRead: number; lines: number; filesExamined: number };
  totals: { tokens: Record<string, number>; messages: number };
  append: { rounds: number; p50Ms: number; p99Ms: number; maxMs: number; perAppend: Record<string, number> };
}

// konsole runs with these Node flags wherever it is deployed (scripts/services.mjs, Dockerfile).
const KONSOLE_NODE_FLAGS = ["--max-semi-space-size=2"];

const observe = async (dir: string, rounds: number) => {
  const result = await run([...KONSOLE_NODE_FLAGS, "--import", "tsx", path.join(here, "support", "observer-child.ts"), dir, String(rounds)], { LOG_LEVEL: "silent" });
  return { ...result, figures: JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as ObserverFigures };
};

const mb = (n: number) => `${n.toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const dirs: string[] = [];
try {
  const big = mkdtempSync(path.join(tmpdir(), "observer-bench-"));
  const small = mkdtempSync(path.join(tmpdir(), "observer-bench-small-"));
  dirs.push(big, small);
  const generated = performance.now();
  const bigCorpus = generateCorpus({ dir: big, targetBytes: sizeMb * 1024 * 1024, seed: 1, days: 30 });
  const smallCorpus = generateCorpus({ dir: small, targetBytes: (sizeMb * 1024 * 1024) / 10, seed: 2, days: 30 });
  console.log(
    `corpus: ${mb(bigCorpus.bytes / 1048576)} in ${bigCorpus.files} files (${bigCorpus.messages} API messages), and one of ${mb(smallCorpus.bytes / 1048576)} (${smallCorpus.files} files); generated in ${s(performance.now() - generated)}`,
  );

  const cc = await run([ccusage, "daily", "--json", "--offline"], { CLAUDE_CONFIG_DIR: big, TZ: "UTC" });
  const obs = await observe(big, appends);
  const ccTotals = (JSON.parse(cc.stdout) as { totals: { inputTokens: number; outputTokens: number } }).totals;
  const same = ccTotals.inputTokens === obs.figures.totals.tokens.input && ccTotals.outputTokens === obs.figures.totals.tokens.output;
  console.log(`\nfull index of ${mb(bigCorpus.bytes / 1048576)} (process wall time, peak RSS)`);
  console.log(`  ccusage daily --json --offline   ${s(cc.wallMs).padStart(9)}   ${mb(cc.maxRssMb)}`);
  console.log(`  konsole observer                 ${s(obs.wallMs).padStart(9)}   ${mb(obs.maxRssMb)}   (index itself ${s(obs.figures.indexMs)}, the rest is konsole's start, ${appends} appends and stop)`);
  console.log(`  ratio ccusage / observer index   ${(cc.wallMs / obs.figures.indexMs).toFixed(2)}x   (process to process: ${(cc.wallMs / obs.wallMs).toFixed(2)}x; goal ≥ 3x)`);
  console.log(`  same input/output token totals: ${same ? "yes" : `NO (ccusage ${ccTotals.inputTokens}/${ccTotals.outputTokens})`}`);

  const smallObs = await observe(small, appends);
  console.log(`\nappend one line → visible in GET /observer/sessions/:id (${appends} appends each; goal p99 < 1 s)`);
  for (const [label, corpus, figures] of [
    [mb(bigCorpus.bytes / 1048576), bigCorpus, obs.figures],
    [mb(smallCorpus.bytes / 1048576), smallCorpus, smallObs.figures],
  ] as const) {
    const work = figures.append.perAppend;
    console.log(
      `  corpus ${label.padStart(7)} (${corpus.files} files): p50 ${figures.append.p50Ms.toFixed(1)} ms, p99 ${figures.append.p99Ms.toFixed(1)} ms, max ${figures.append.maxMs.toFixed(1)} ms; per append ${work.filesExamined} file(s), ${work.bytesRead?.toFixed(0)} bytes, ${work.lines} line(s) read`,
    );
  }
  console.log(`  observer peak RSS on the small corpus: ${mb(smallObs.maxRssMb)}`);
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
