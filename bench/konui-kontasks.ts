// Authenticated kontask create/list through konui's full app, beside a bare Hono handler doing
// the same SQLite write and read without auth or validation. In-process, one request at a time
// (one core), in interleaved rounds so a busy machine slows both sides alike. Prints rates and
// ratios; asserts nothing. Run: tsx bench/konui-kontasks.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Hono } from "hono";
import type { KonsoleApi } from "@kon/konui";
import { createLogger } from "@kon/konui/logger";
import { ApiError } from "@kon/protocol";
import { createApp } from "@kon/konui/app";
import { ensureFirstAdmin } from "@kon/konui/auth/bootstrap";
import { loadConfig } from "@kon/konui/config";
import { openDatabase } from "@kon/konui/db/open";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PASSWORD = "bench-password-1";
const body = JSON.stringify({ title: "bench", type: "task", tags: ["bench"], context: { output: "<p>done</p>" } });

const unusedKonsole = new Proxy({} as KonsoleApi, {
  get: () => () => Promise.reject(new ApiError("unavailable", "no konsole in this bench")),
});

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "konui-bench-"));
  const config = loadConfig({ KONSOLE_SERVICE_TOKEN: "bench-service-token-0000", KONUI_DATA_DIR: dir, LOG_LEVEL: "silent" });
  const database = openDatabase(path.join(dir, "konui.sqlite"));
  const logger = createLogger("silent");
  const jwtSecret = new TextEncoder().encode("b".repeat(48));
  const { app, services } = createApp({ config, db: database.db, konsole: unusedKonsole, logger, jwtSecret });
  return { app, services, close: () => (database.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

interface Case {
  label: string;
  run: () => Promise<Response>;
  count: number;
  ms: number;
  /** CPU time of this process (user + system): unlike wall time, other programs on the machine barely move it. */
  cpuMs: number;
}

const benchCase = (label: string, run: () => Promise<Response>): Case => ({ label, run, count: 0, ms: 0, cpuMs: 0 });

/** Runs `c` for `seconds`, adding to its count and time. */
async function slice(c: Case, seconds: number): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    const res = await c.run();
    if (res.status >= 300) throw new Error(`${c.label}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    c.count += 1;
  }
  c.ms += performance.now() - started;
  const used = process.cpuUsage(cpu);
  c.cpuMs += (used.user + used.system) / 1000;
}

/** Warms every case up, then gives each SECONDS in ROUNDS slices, taking turns. */
async function interleaved(cases: Case[]): Promise<{ wall: number; cpu: number }[]> {
  for (const c of cases) for (let i = 0; i < 200; i++) await (await c.run()).arrayBuffer();
  for (let round = 0; round < ROUNDS; round++) for (const c of cases) await slice(c, SECONDS / ROUNDS);
  return cases.map((c) => {
    const wall = c.count / (c.ms / 1000);
    const cpu = c.count / (c.cpuMs / 1000);
    console.log(`${c.label.padEnd(32)} ${wall.toFixed(0).padStart(8)} req/s ${cpu.toFixed(0).padStart(8)} req/CPU-s`);
    return { wall, cpu };
  });
}

// konui as built: bearer JWT verified (HS256 + login row + user row), zod-validated body, routed.
const full = setup();
await ensureFirstAdmin(full.services.users, PASSWORD, createLogger("silent"), () => {});
const login = await full.app.request("/api/token", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "admin", password: PASSWORD }),
});
const { access_token: token } = (await login.json()) as { access_token: string };
// As every client over HTTP sends it; without it konui's body limit has to count the stream as it reads.
const authHeaders = { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) };

// The bare baseline: the same store writes and reads, no auth, no validation.
const bare = setup();
const admin = await bare.services.users.create({ username: "admin", password: PASSWORD, role: "admin" });
const actor = { kind: "admin", userId: admin.id, username: admin.username } as const;
const bareApp = new Hono()
  .post("/kontasks", async (c) => {
    const input = (await c.req.json()) as { title: string; type: string; tags: string[]; context: Record<string, unknown> };
    const row = bare.services.kontasks.create(
      { ...input, status: "pending" },
      { userId: admin.id, createdBy: admin.username, sessionId: null },
    );
    return c.json(row, 201);
  })
  .get("/kontasks", (c) => c.json(bare.services.kontasks.list({ limit: 20 }, actor), 200));

console.log(`konui kontasks bench: ${SECONDS}s per case in ${ROUNDS} interleaved rounds, in-process, sequential (one core)\n`);
const [authCreate, bareCreate, authList, bareList] = await interleaved([
  benchCase("konui POST /api/kontasks (auth)", () =>
    Promise.resolve(full.app.request("/api/kontasks", { method: "POST", headers: authHeaders, body })),
  ),
  benchCase("bare  POST /kontasks (no auth)", () =>
    Promise.resolve(bareApp.request("/kontasks", { method: "POST", headers: { "content-type": "application/json" }, body })),
  ),
  benchCase("konui GET /api/kontasks (auth)", () => Promise.resolve(full.app.request("/api/kontasks?limit=20", { headers: authHeaders }))),
  benchCase("bare  GET /kontasks (no auth)", () => Promise.resolve(bareApp.request("/kontasks"))),
]);

const ratio = (konui: typeof authCreate, bare: typeof authCreate, of: "wall" | "cpu") => ((konui?.[of] ?? 0) / (bare?.[of] ?? 1)).toFixed(2);
console.log(`\ncreate: konui/bare = ${ratio(authCreate, bareCreate, "wall")} (wall), ${ratio(authCreate, bareCreate, "cpu")} (CPU)`);
console.log(`list:   konui/bare = ${ratio(authList, bareList, "wall")} (wall), ${ratio(authList, bareList, "cpu")} (CPU)`);
full.close();
bare.close();
