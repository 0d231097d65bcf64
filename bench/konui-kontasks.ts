// Authenticated kontask create/list through konui's full app, beside a bare Hono handler doing
// the same SQLite write and read without auth or validation. In-process, one request at a time
// (one core). Prints rates and ratios; asserts nothing. Run: tsx bench/konui-kontasks.ts
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

async function rate(label: string, run: () => Promise<Response>): Promise<number> {
  for (let i = 0; i < 200; i++) await (await run()).arrayBuffer(); // warm-up
  let count = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  while (performance.now() < until) {
    const res = await run();
    if (res.status >= 300) throw new Error(`${label}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    count += 1;
  }
  const perSec = count / ((performance.now() - started) / 1000);
  console.log(`${label.padEnd(32)} ${perSec.toFixed(0).padStart(8)} req/s`);
  return perSec;
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
const authHeaders = { authorization: `Bearer ${token}`, "content-type": "application/json" };

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

console.log(`konui kontasks bench: ${SECONDS}s per case, in-process, sequential (one core)\n`);
const authCreate = await rate("konui POST /api/kontasks (auth)", () =>
  Promise.resolve(full.app.request("/api/kontasks", { method: "POST", headers: authHeaders, body })),
);
const bareCreate = await rate("bare  POST /kontasks (no auth)", () =>
  Promise.resolve(bareApp.request("/kontasks", { method: "POST", headers: { "content-type": "application/json" }, body })),
);
const authList = await rate("konui GET /api/kontasks (auth)", () =>
  Promise.resolve(full.app.request("/api/kontasks?limit=20", { headers: authHeaders })),
);
const bareList = await rate("bare  GET /kontasks (no auth)", () => Promise.resolve(bareApp.request("/kontasks")));

console.log(`\ncreate: konui/bare = ${(authCreate / bareCreate).toFixed(2)}`);
console.log(`list:   konui/bare = ${(authList / bareList).toFixed(2)}`);
full.close();
bare.close();
