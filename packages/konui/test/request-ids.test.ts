// konui gives every request an id (a sane incoming X-Request-Id, else a new one), answers with
// it, logs with it, and hands it to konsole on the calls the request makes.

import path from "node:path";
import { Writable } from "node:stream";
import { Hono } from "hono";
import { afterEach, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { ensureFirstAdmin } from "../src/auth/bootstrap.ts";
import { openDatabase } from "../src/db/open.ts";
import { requestIds } from "@kon/openapi";
import { createKonsoleClient } from "../src/konsole/client.ts";
import { createLogger, type Logger } from "../src/logger.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { ADMIN_PASSWORD, JWT_SECRET, SERVICE_TOKEN, tempDir, testConfig } from "./support/harness.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger("debug", destination), lines };
}

/** konui's real app over a konsole-shaped app that records the request ids it is sent. */
async function konuiOverKonsole(logger: Logger) {
  const seenByKonsole: string[] = [];
  const fake = new FakeKonsole();
  const konsoleApp = new Hono().get("/hot/status", async (c) => {
    seenByKonsole.push(c.req.header("x-request-id") ?? "");
    return c.json(await fake.hotStatus(), 200);
  });
  const konsole = createKonsoleClient({
    baseUrl: "http://konsole.test",
    serviceToken: SERVICE_TOKEN,
    fetch: (input, init) => Promise.resolve(konsoleApp.request(String(input), init)),
  });
  const dir = tempDir();
  const database = openDatabase(path.join(dir, "konui.sqlite"));
  closers.push(() => database.close());
  const { app, services } = createApp({ config: testConfig(dir), db: database.db, konsole, logger, jwtSecret: JWT_SECRET });
  await ensureFirstAdmin(services.users, ADMIN_PASSWORD, logger, () => {});
  const login = await app.request("/api/token", { method: "POST", body: new URLSearchParams({ username: "admin", password: ADMIN_PASSWORD }) });
  const token = ((await login.json()) as { access_token: string }).access_token;
  return { app, token, seenByKonsole };
}

it("answers with the caller's id, or a new one when it has none or a bad one, refusals included", async () => {
  const { app, token } = await konuiOverKonsole(capturedLogger().logger);
  expect((await app.request("/health", { headers: { "x-request-id": "abc-123" } })).headers.get("x-request-id")).toBe("abc-123");
  expect((await app.request("/health")).headers.get("x-request-id")).toMatch(UUID);
  expect((await app.request("/health", { headers: { "x-request-id": "a\tb" } })).headers.get("x-request-id")).toMatch(UUID);
  const refused = await app.request("/api/me", { headers: { "x-request-id": "refused-2" } });
  expect(refused.status).toBe(401);
  expect(refused.headers.get("x-request-id")).toBe("refused-2");
  const missing = await app.request("/api/nowhere", { headers: { authorization: `Bearer ${token}`, "x-request-id": "missing-3" } });
  expect(missing.status).toBe(404);
  expect(missing.headers.get("x-request-id")).toBe("missing-3");
});

it("hands the id to konsole on the calls a request makes", async () => {
  const { app, token, seenByKonsole } = await konuiOverKonsole(capturedLogger().logger);
  const res = await app.request("/api/konsole/hot", { headers: { authorization: `Bearer ${token}`, "x-request-id": "ops-42" } });
  expect(res.status).toBe(200);
  expect(seenByKonsole).toEqual(["ops-42"]);
  const fresh = await app.request("/api/konsole/hot", { headers: { authorization: `Bearer ${token}` } });
  expect(seenByKonsole[1]).toBe(fresh.headers.get("x-request-id"));
});

it("puts the id in every log line of the request, child loggers included, and in none outside it", async () => {
  const { logger, lines } = capturedLogger();
  const app = new Hono().use("*", requestIds()).get("/work", async (c) => {
    logger.info("first");
    await new Promise((resolve) => setTimeout(resolve, 5));
    logger.child({ component: "deeper" }).warn("after an await");
    return c.text("done", 200);
  });
  await app.request("/work", { headers: { "x-request-id": "log-me" } });
  logger.info("outside");
  expect(lines.map((line) => [line.msg, line.reqId])).toEqual([
    ["first", "log-me"],
    ["after an await", "log-me"],
    ["outside", undefined],
  ]);
});
