#!/usr/bin/env node
// Builds the dashboard (packages/dashboard → dist) when dist is missing or older than its
// sources, so `pnpm start` and the browser tests always serve what the sources say.
// `node scripts/dashboard-build.mjs` builds if stale; `--force` builds regardless.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
export const dashboardPackage = path.join(root, "packages", "dashboard");
export const dashboardDist = path.join(dashboardPackage, "dist");
// What the build reads: the app and, through its imports, the protocol package.
const sources = [dashboardPackage, path.join(root, "packages", "protocol", "src")];
const skipped = new Set(["node_modules", "dist", "test"]);
const lockDir = path.join(dashboardPackage, "node_modules", ".kon-dashboard-build.lock");

function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name) || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the dashboard needs a build, or undefined when dist is current. */
export function staleReason() {
  let built;
  try {
    built = statSync(path.join(dashboardDist, "index.html")).mtimeMs;
  } catch {
    return "no build yet";
  }
  return sources.some((dir) => newestMtimeMs(dir) > built) ? "sources changed since the last build" : undefined;
}

function runViteBuild() {
  const vite = path.join(dashboardPackage, "node_modules", "vite", "bin", "vite.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: dashboardPackage, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`dashboard build failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

// Test files build from parallel processes: one builds, the others wait and then find dist current.
async function withBuildLock(work) {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      const age = Date.now() - statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 10 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Builds the dashboard unless dist is current; resolves to whether it built. */
export async function ensureDashboardBuilt({ force = false, log = (line) => console.log(line) } = {}) {
  if (!force && !staleReason()) return false;
  return withBuildLock(async () => {
    const reason = force ? "asked to" : staleReason();
    if (!reason) return false;
    log(`Building the dashboard (${reason}) …`);
    await runViteBuild();
    log(`Dashboard built into ${path.relative(root, dashboardDist)}`);
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const built = await ensureDashboardBuilt({ force: process.argv.includes("--force") });
    if (!built) console.log("Dashboard build is current");
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
