#!/usr/bin/env node
// Runs every benchmark in bench/ one after another (never in parallel: they measure time).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const benchDir = path.resolve(import.meta.dirname, "..", "bench");
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith(".ts"))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(benchDir, file)], { stdio: "inherit" });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
