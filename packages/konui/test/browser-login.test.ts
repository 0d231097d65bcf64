// Browser logins that stay logged in: the refresh cookie, its rotation and theft detection,
// logout, revocation by password change or disabling, CSRF and caching rules.

import { LOGIN_HINT_COOKIE, REFRESH_COOKIE, type TokenResponse } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTokenSweeper } from "../src/auth/sweeper.ts";
import { start, type RunningKonui } from "../src/index.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { ADMIN_PASSWORD, createHarness, json, listeningConfig, silentLogger, type Harness } from "./support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const credentials = { username: "admin", password: ADMIN_PASSWORD };

/** A cookie a response sets (the refresh cookie unless named): its value and attributes. */
function cookieOf(res: Response, name = REFRESH_COOKIE): { value: string; attributes: string[] } {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  const [pair = "", ...attributes] = line.split(/;\s*/);
  return { value: decodeURIComponent(pair.slice(name.length + 1)), attributes };
}

const withCookie = (value: string, extra: Record<string, string> = {}) => ({ cookie: `${REFRESH_COOKIE}=${value}`, ...extra });

async function browserLogin(body: unknown = credentials): Promise<{ access: string; refresh: string }> {
  const res = await h.call("POST", "/api/auth/login", { body });
  expect(res.status).toBe(200);
  return { access: (await json<TokenResponse>(res)).access_token, refresh: cookieOf(res).value };
}

const refresh = (value: string, headers: Record<string, string> = {}) =>
  h.call("POST", "/api/auth/refresh", { headers: withCookie(value, headers) });
const me = (token: string) => h.call("GET", "/api/me", { token });

describe("POST /api/auth/login", () => {
  it("answers a token and sets an httpOnly, SameSite=Strict refresh cookie on /api/auth, stored only as a hash", async () => {
    const res = await h.call("POST", "/api/auth/login", { body: credentials });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await json<TokenResponse>(res);
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 900 });
    expect((await me(body.access_token)).status).toBe(200);

    const cookie = cookieOf(res);
    expect(cookie.value.length).toBeGreaterThanOrEqual(40);
    expect(cookie.attributes).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Strict", "Path=/api/auth", "Max-Age=1209600"]));
    expect(cookie.attributes).not.toContain("Secure");
    const stored = h.database.sqlite.prepare("select * from refresh_tokens").all() as { token_hash: string }[];
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(cookie.value);
    // The page's hint that a refresh is worth trying: readable by script, holding nothing secret.
    const hint = cookieOf(res, LOGIN_HINT_COOKIE);
    expect(hint.value).toBe("1");
    expect(hint.attributes).toEqual(expect.arrayContaining(["SameSite=Strict", "Path=/", "Max-Age=1209600"]));
    expect(hint.attributes).not.toContain("HttpOnly");
  });

  it("marks the cookie Secure over https", async () => {
    const res = await h.call("POST", "https://konui.example/api/auth/login", { body: credentials });
    expect(res.status).toBe(200);
    expect(cookieOf(res).attributes).toContain("Secure");
  });

  it("checks passwords as /api/token does, sharing its throttle; JSON only", async () => {
    const wrong = await h.call("POST", "/api/auth/login", { body: { username: "admin", password: "wrong-one" } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    for (let i = 0; i < 5; i++) await h.call("POST", "/api/token", { body: { username: "admin", password: "wrong-one" } });
    const blocked = await h.call("POST", "/api/auth/login", { body: credentials });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBeTruthy();
    const form = await h.call("POST", "/api/auth/login", {
      body: `username=admin&password=x`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect((await h.call("POST", "/api/auth/login", { body: { username: "admin" } })).status).toBe(400);
  });

  it("sends no-store on /api/token too", async () => {
    const res = await h.call("POST", "/api/token", { body: credentials });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("POST /api/auth/refresh", () => {
  it("rotates the cookie for a new access token; the replaced one shown again revokes the whole family", async () => {
    const first = await browserLogin();
    const rotated = await refresh(first.refresh);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    const second = cookieOf(rotated).value;
    expect(second).not.toBe(first.refresh);
    const access = (await json<TokenResponse>(rotated)).access_token;
    expect((await me(access)).status).toBe(200);

    const third = cookieOf(await refresh(second)).value;
    // Someone replays the token that was already exchanged: theft.
    const replay = await refresh(first.refresh);
    expect(replay.status).toBe(401);
    expect(cookieOf(replay).attributes).toContain("Max-Age=0");
    expect((await refresh(third)).status).toBe(401);
  });

  it("answers 401 without a cookie, with an unknown or expired one", async () => {
    expect((await h.call("POST", "/api/auth/refresh")).status).toBe(401);
    expect((await refresh("made-up")).status).toBe(401);
    const { refresh: value } = await browserLogin();
    h.clock.advance(14 * 86_400_000 + 1_000);
    const expired = await refresh(value);
    expect(expired.status).toBe(401);
    expect(await json(expired)).toMatchObject({ error: { code: "unauthorized" } });
    const stop = startTokenSweeper(h.services, 60_000, silentLogger);
    stop();
    expect(h.database.sqlite.prepare("select count(*) as n from refresh_tokens").get()).toEqual({ n: 0 });
  });

  it("refuses a request from another origin (403) and accepts its own or none", async () => {
    const { refresh: value } = await browserLogin();
    const forged = await refresh(value, { origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("cache-control")).toBe("no-store");
    const own = await refresh(value, { origin: "http://localhost" });
    expect(own.status).toBe(200);
    const forgedLogout = await h.call("POST", "/api/auth/logout", { headers: withCookie(cookieOf(own).value, { origin: "null" }) });
    expect(forgedLogout.status).toBe(403);
  });
});

describe("POST /api/auth/logout", () => {
  it("revokes the family and the bearer's access token and clears the cookie", async () => {
    const { access, refresh: value } = await browserLogin();
    const res = await h.call("POST", "/api/auth/logout", { token: access, headers: withCookie(value) });
    expect(res.status).toBe(204);
    expect(cookieOf(res)).toMatchObject({ value: "", attributes: expect.arrayContaining(["Max-Age=0", "Path=/api/auth"]) });
    expect(cookieOf(res, LOGIN_HINT_COOKIE)).toMatchObject({ value: "", attributes: expect.arrayContaining(["Max-Age=0", "Path=/"]) });
    expect((await refresh(value)).status).toBe(401);
    expect((await me(access)).status).toBe(401);
    // Logging out twice, or with nothing, is fine.
    expect((await h.call("POST", "/api/auth/logout")).status).toBe(204);
  });
});

describe("revocation", () => {
  it("a password change ends the user's browser logins, but an admin's own", async () => {
    const admin = await browserLogin();
    await h.call("POST", "/api/users", { token: admin.access, body: { username: "alice", password: "alice-password" } });
    const aliceId = h.userId("alice");
    const alice = await browserLogin({ username: "alice", password: "alice-password" });
    const changed = await h.call("PATCH", `/api/users/${aliceId}`, { token: admin.access, body: { password: "alice-password-2" } });
    expect(changed.status).toBe(200);
    expect((await refresh(alice.refresh)).status).toBe(401);

    const adminId = h.userId("admin");
    const otherAdminBrowser = await browserLogin();
    const own = await h.call("PATCH", `/api/users/${adminId}`, { token: admin.access, body: { password: "admin-password-2" } });
    expect(own.status).toBe(200);
    expect((await refresh(admin.refresh)).status).toBe(200);
    expect((await refresh(otherAdminBrowser.refresh)).status).toBe(401);
  });

  it("disabling a user ends their browser logins", async () => {
    const admin = await h.login();
    await h.call("POST", "/api/users", { token: admin, body: { username: "bob", password: "bob-password" } });
    const bob = await browserLogin({ username: "bob", password: "bob-password" });
    await h.call("PATCH", `/api/users/${h.userId("bob")}`, { token: admin, body: { disabled: true } });
    expect((await refresh(bob.refresh)).status).toBe(401);
  });
});

describe("over a real socket", () => {
  let konui: RunningKonui;
  afterEach(async () => {
    await konui?.stop();
  });

  it("logs in, refreshes with the cookie a client keeps, and logs out", async () => {
    konui = await start(listeningConfig(), { konsole: new FakeKonsole(), logger: silentLogger, print: () => {} });
    const post = (path: string, headers: Record<string, string> = {}, body?: unknown) =>
      fetch(`${konui.url}${path}`, {
        method: "POST",
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
    const login = await post("/api/auth/login", { origin: konui.url }, credentials);
    expect(login.status).toBe(200);
    const cookie = cookieOf(login).value;
    const refreshed = await post("/api/auth/refresh", withCookie(cookie, { origin: konui.url }));
    expect(refreshed.status).toBe(200);
    const next = cookieOf(refreshed).value;
    const logout = await post("/api/auth/logout", withCookie(next));
    expect(logout.status).toBe(204);
    expect((await post("/api/auth/refresh", withCookie(next))).status).toBe(401);
  });

  it("behind a trusted proxy, takes the browser's origin and https from X-Forwarded-Proto and -Host; never otherwise", async () => {
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "konui.example", origin: "https://konui.example" };
    const login = (headers: Record<string, string>) =>
      fetch(`${konui.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(credentials),
      });

    konui = await start(listeningConfig(), { konsole: new FakeKonsole(), logger: silentLogger, print: () => {} });
    expect((await login(forwarded)).status).toBe(403);
    await konui.stop();

    konui = await start(listeningConfig({ KONUI_TRUSTED_PROXIES: "127.0.0.1" }), { konsole: new FakeKonsole(), logger: silentLogger, print: () => {} });
    const proxied = await login(forwarded);
    expect(proxied.status).toBe(200);
    expect(cookieOf(proxied).attributes).toContain("Secure");
    expect((await login({ ...forwarded, origin: konui.url })).status).toBe(403);
  });
});
