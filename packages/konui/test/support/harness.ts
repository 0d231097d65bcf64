import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { createApp } from "../../src/app.ts";
import { ensureFirstAdmin } from "../../src/auth/bootstrap.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { openDatabase, type OpenDatabase } from "../../src/db/open.ts";
import type { Services } from "../../src/services.ts";
import { FakeKonsole } from "./fake-konsole.ts";

export const SERVICE_TOKEN = "test-service-token-0123456789";
export const ADMIN_PASSWORD = "admin-password-1";
export const JWT_SECRET = new TextEncoder().encode("x".repeat(48));
export const silentLogger = pino({ level: "silent" });

/** Real time that tests can move forward. */
export class TestClock {
  private offsetMs = 0;
  now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface Harness {
  app: ReturnType<typeof createApp>["app"];
  services: Services;
  konsole: FakeKonsole;
  config: Config;
  database: OpenDatabase;
  dir: string;
  clock: TestClock;
  /** Sends a request; `body` objects go as JSON. */
  call(method: string, url: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  login(username?: string, password?: string): Promise<string>;
  /** Creates a user (as admin) and returns their access token. */
  userToken(username: string): Promise<string>;
  /** The id of an existing user. */
  userId(username: string): string;
  /** Creates a session of `agent` as the holder of `token` and returns its id. */
  newSession(token: string, agent?: string): Promise<string>;
  close(): void;
}

export function tempDir(prefix = "konui-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return {
    ...loadConfig({ KONSOLE_SERVICE_TOKEN: SERVICE_TOKEN, KONUI_DATA_DIR: dir, ADMIN_PASSWORD, LOG_LEVEL: "silent", ...env }),
    // Every delta as its own frame, so stream tests see each one; live-hub.test.ts covers the window.
    progressWindowMs: 0,
    passwordCost: 1024,
  };
}

/** For a real `start()`: any free port, and a konsole nobody listens on (tests pass their own client). */
export function listeningConfig(env: Record<string, string> = {}, dir = tempDir()): Config {
  return testConfig(dir, { KONUI_PORT: "0", KONSOLE_URL: "http://127.0.0.1:9", ...env });
}

export async function createHarness(options: { konsole?: FakeKonsole; clock?: TestClock; env?: Record<string, string> } = {}): Promise<Harness> {
  const dir = tempDir();
  const config = testConfig(dir, options.env);
  const database = openDatabase(path.join(dir, "konui.sqlite"));
  const konsole = options.konsole ?? new FakeKonsole();
  const clock = options.clock ?? new TestClock();
  const { app, services } = createApp({ config, db: database.db, konsole, logger: silentLogger, jwtSecret: JWT_SECRET, now: clock.now });
  // konsole's journal, as the consumer follows it: the one source of turn outcomes.
  konsole.journal = (turn) => services.recorder.record(turn);
  await ensureFirstAdmin(services.users, ADMIN_PASSWORD, silentLogger, () => {});

  const call: Harness["call"] = (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: RequestInit["body"];
    if (opts.body instanceof FormData || typeof opts.body === "string") body = opts.body;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    return Promise.resolve(app.request(url, { method, headers, body }));
  };
  const login = async (username = "admin", password = ADMIN_PASSWORD) => {
    const res = await call("POST", "/api/token", { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  let adminToken: string | undefined;
  const userToken = async (username: string) => {
    adminToken ??= await login();
    const res = await call("POST", "/api/users", { token: adminToken, body: { username, password: `${username}-password` } });
    if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${await res.text()}`);
    return login(username, `${username}-password`);
  };
  const userId = (username: string) => {
    const user = services.users.findByUsername(username);
    if (!user) throw new Error(`no user ${username}`);
    return user.id;
  };
  const newSession = async (token: string, agent = "claude") => {
    const res = await call("POST", `/api/agents/${agent}/session`, { token });
    if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
    return String((await json(res)).id);
  };
  return {
    app,
    services,
    konsole,
    config,
    database,
    dir,
    clock,
    call,
    login,
    userToken,
    userId,
    newSession,
    close: () => {
      // A journal line still on its way (the fake answers first, journals next) finds no one.
      konsole.journal = undefined;
      database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The admin logged in, then alice and bob created and logged in: where most route tests start. */
export async function adminAliceBob(h: Harness): Promise<{ admin: string; alice: string; bob: string }> {
  const admin = await h.login();
  const alice = await h.userToken("alice");
  const bob = await h.userToken("bob");
  return { admin, alice, bob };
}

/** The admin logged in, then alice with two sessions of her own: where the process-token tests start. */
export async function aliceWithTwoSessions(
  h: Harness,
): Promise<{ admin: string; alice: string; aliceId: string; sessionId: string; otherSessionId: string }> {
  const admin = await h.login();
  const alice = await h.userToken("alice");
  const aliceId = h.userId("alice");
  const sessionId = await h.newSession(alice);
  const otherSessionId = await h.newSession(alice);
  return { admin, alice, aliceId, sessionId, otherSessionId };
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
