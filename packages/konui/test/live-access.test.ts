import { Writable } from "node:stream";
import { DashboardCloseCode } from "@kon/protocol";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { start, type RunningKonui } from "../src/index.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { ADMIN_PASSWORD, listeningConfig } from "./support/harness.ts";
import { closed, openSocket, type FrameReader } from "./support/ws-client.ts";

let konui: RunningKonui;
let logLines: string[];
let admin: string;

beforeEach(async () => {
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const config = listeningConfig();
  konui = await start(config, { konsole: new FakeKonsole(), logger: pino({ level: "trace" }, sink), print: () => {} });
  admin = await login("admin", ADMIN_PASSWORD);
});
afterEach(async () => {
  await konui.stop();
});

async function login(username: string, password: string): Promise<string> {
  const res = await fetch(`${konui.url}/api/token`, { method: "POST", body: new URLSearchParams({ username, password }) });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function call(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${konui.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function newUser(username: string): Promise<{ id: string; token: string }> {
  const res = await call("POST", "/api/users", admin, { username, password: `${username}-password` });
  const { id } = (await res.json()) as { id: string };
  return { id, token: await login(username, `${username}-password`) };
}

const liveUrl = () => `${konui.url.replace(/^http/, "ws")}/api/live`;

async function stream(token: string): Promise<FrameReader> {
  const reader = await openSocket(liveUrl(), { authorization: `Bearer ${token}` });
  expect(await reader.next()).toMatchObject({ type: "hello" });
  return reader;
}

describe("dashboard stream access", () => {
  it("takes the token from the bearer sub-protocol and answers with `bearer`, never the token", async () => {
    const reader = await openSocket(liveUrl(), {}, ["bearer", admin]);
    expect(await reader.next()).toMatchObject({ type: "hello", user: { username: "admin" } });
    expect(reader.socket.protocol).toBe("bearer");
    reader.socket.close();
    await expect(openSocket(liveUrl(), {}, ["bearer", "forged"])).rejects.toThrow("HTTP 401");
  });

  it("closes with 4002 when its login logs out, leaving the user's other logins open", async () => {
    const alice = await newUser("alice");
    const other = await login("alice", "alice-password");
    const mine = await stream(alice.token);
    const theirs = await stream(other);
    const ended = closed(mine.socket);
    expect((await call("POST", "/api/logout", alice.token)).status).toBe(204);
    expect(await ended).toEqual({ code: DashboardCloseCode.logged_out, reason: "logged out" });
    theirs.socket.send(JSON.stringify({ type: "ping" }));
    expect(await theirs.next()).toEqual({ type: "pong" });
    theirs.socket.close();
  });

  it("closes with 4003 when its user is disabled, and the token is refused from then on", async () => {
    const alice = await newUser("alice");
    const reader = await stream(alice.token);
    const ended = closed(reader.socket);
    expect((await call("PATCH", `/api/users/${alice.id}`, admin, { disabled: true })).status).toBe(200);
    expect(await ended).toEqual({ code: DashboardCloseCode.user_disabled, reason: "user disabled" });
    await expect(openSocket(liveUrl(), { authorization: `Bearer ${alice.token}` })).rejects.toThrow("HTTP 401");
  });

  it("closes with 4004 when its token is revoked by a password change, except the admin's own", async () => {
    const alice = await newUser("alice");
    const reader = await stream(alice.token);
    const adminStream = await stream(admin);
    const ended = closed(reader.socket);
    expect((await call("PATCH", `/api/users/${alice.id}`, admin, { password: "brand-new-password" })).status).toBe(200);
    expect(await ended).toEqual({ code: DashboardCloseCode.token_revoked, reason: "access token revoked" });
    expect((await call("GET", "/api/me", alice.token)).status).toBe(401);

    const adminId = konui.services.users.findByUsername("admin")?.id ?? "";
    expect((await call("PATCH", `/api/users/${adminId}`, admin, { password: "admin-password-2" })).status).toBe(200);
    adminStream.socket.send(JSON.stringify({ type: "ping" }));
    expect(await adminStream.next()).toEqual({ type: "pong" });
    adminStream.socket.close();
  });

  it("closes with 4005 when the user's role changes, so the stream reopens with what the new role may see", async () => {
    const alice = await newUser("alice");
    const reader = await stream(alice.token);
    const ended = closed(reader.socket);
    expect((await call("PATCH", `/api/users/${alice.id}`, admin, { role: "admin" })).status).toBe(200);
    expect((await ended).code).toBe(DashboardCloseCode.role_changed);
    const again = await stream(alice.token);
    again.socket.close();
  });

  it("never logs a token passed as ?access_token=", async () => {
    const reader = await openSocket(`${liveUrl()}?access_token=${admin}`);
    await reader.next();
    reader.socket.send("not json");
    await reader.next();
    const ended = closed(reader.socket);
    await call("POST", "/api/logout", admin);
    await ended;
    await openSocket(`${liveUrl()}?access_token=${admin}`).catch(() => undefined);
    await fetch(`${konui.url}/api/nowhere?access_token=${admin}`);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("")).not.toContain(admin);
    expect(logLines.join("")).not.toContain(admin.split(".")[2]);
  });
});
