import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { start, type RunningKonui } from "../src/index.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { ADMIN_PASSWORD, listeningConfig, silentLogger } from "./support/harness.ts";
import { openSocket } from "./support/ws-client.ts";

let konui: RunningKonui;
let konsole: FakeKonsole;

beforeEach(async () => {
  konsole = new FakeKonsole();
  const config = listeningConfig();
  konui = await start(config, { konsole, logger: silentLogger, print: () => {} });
  // Outcomes reach konui through its journal consumer; this konsole hands them to the recorder itself.
  konsole.journal = (turn) => konui.services.recorder.record(turn);
});
afterEach(async () => {
  await konui.stop();
});

async function login(username: string, password: string): Promise<string> {
  const res = await fetch(`${konui.url}/api/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function api(method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${konui.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await res.json()) as Record<string, unknown>;
}

const wsUrl = () => konui.url.replace(/^http/, "ws");

describe("dashboard WebSocket /api/live", () => {
  it("refuses a missing, bad or process token before upgrading", async () => {
    await expect(openSocket(`${wsUrl()}/api/live`)).rejects.toThrow("HTTP 401");
    await expect(openSocket(`${wsUrl()}/api/live?access_token=nope`)).rejects.toThrow("HTTP 401");
    const userId = konui.services.users.findByUsername("admin")?.id ?? "";
    const issued = konui.services.processTokens.issue({ sessionId: "s1", userId, processId: "p" });
    await expect(openSocket(`${wsUrl()}/api/live?access_token=${issued.token}`)).rejects.toThrow("HTTP 403");
  });

  it("greets, answers pings, and shows each user only their own sessions while admins see all", async () => {
    const admin = await login("admin", ADMIN_PASSWORD);
    await api("POST", "/api/users", admin, { username: "alice", password: "alice-password" });
    await api("POST", "/api/users", admin, { username: "bob", password: "bob-password" });
    const alice = await login("alice", "alice-password");
    const bob = await login("bob", "bob-password");

    const aliceWs = await openSocket(`${wsUrl()}/api/live?access_token=${alice}`);
    const bobWs = await openSocket(`${wsUrl()}/api/live`, { authorization: `Bearer ${bob}` });
    const adminWs = await openSocket(`${wsUrl()}/api/live?access_token=${admin}`);
    expect(await aliceWs.next()).toMatchObject({ type: "hello", user: { username: "alice" } });
    await bobWs.next();
    await adminWs.next();

    aliceWs.socket.send(JSON.stringify({ type: "ping" }));
    expect(await aliceWs.next()).toEqual({ type: "pong" });
    aliceWs.socket.send("garbage");
    expect(await aliceWs.next()).toMatchObject({ type: "error", error: { code: "bad_request" } });

    const session = await api("POST", "/api/agents/claude/session", alice);
    const sent = await api("POST", `/api/agents/claude/sessions/${String(session.id)}/message`, alice, { text: "hi" });
    expect(sent).toMatchObject({ message: { text: "echo: hi" } });

    const messagesIn = (frames: Record<string, unknown>[]) => frames.filter((f) => f.type === "message");
    const sessionsIn = (frames: Record<string, unknown>[]) => frames.filter((f) => f.type === "session");
    // Session frames follow their change once konsole has said whether the session is hot.
    const settled = (frames: Record<string, unknown>[]) =>
      messagesIn(frames).length >= 2 && sessionsIn(frames).length >= 3 && frames.some((f) => f.type === "turn" && f.status === "succeeded");
    const aliceFrames = await aliceWs.collectUntil(settled);
    expect(messagesIn(aliceFrames).map((f) => (f.message as { role: string }).role)).toEqual(["user", "assistant"]);
    expect(aliceFrames.filter((f) => f.type === "turn").map((f) => f.status)).toEqual(["queued", "succeeded"]);
    expect(sessionsIn(aliceFrames).map((f) => [f.action, (f.session as { state: string }).state])).toEqual([
      ["created", "idle"],
      ["updated", "queued"],
      ["updated", "idle"],
    ]);
    const adminFrames = await adminWs.collectUntil(settled);
    expect(messagesIn(adminFrames)).toHaveLength(2);
    expect(sessionsIn(adminFrames)).toHaveLength(3);
    expect(await bobWs.drain(0)).toEqual([]);

    await api("POST", "/api/kontasks", bob, { title: "bob's" });
    expect(await bobWs.next()).toMatchObject({ type: "kontask", action: "created", kontask: { title: "bob's" } });
    const kontaskFrames = await adminWs.collectUntil((frames) => frames.some((f) => f.type === "kontask"));
    expect(kontaskFrames.filter((f) => f.type !== "turn").map((f) => f.type)).toEqual(["kontask"]);
    // Both streams have had everything by now; neither of alice's and bob's got the other's.
    expect(await aliceWs.drain()).toEqual([]);
    expect(await bobWs.drain(0)).toEqual([]);
  });

  it("closes a stream when the token that opened it expires", async () => {
    await konui.stop();
    const config = listeningConfig({ KONUI_ACCESS_TOKEN_TTL_SEC: "30" });
    konui = await start(config, { konsole, logger: silentLogger, print: () => {} });
    const token = await login("admin", ADMIN_PASSWORD);
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const reader = await openSocket(`${wsUrl()}/api/live?access_token=${token}`);
      await reader.next();
      const closed = new Promise<number>((resolve) => reader.socket.once("close", (code) => resolve(code)));
      vi.advanceTimersByTime(30_000);
      expect(await closed).toBe(4001);
    } finally {
      vi.useRealTimers();
    }
  });

  it("closes dashboard sockets on stop", async () => {
    const admin = await login("admin", ADMIN_PASSWORD);
    const ws = (await openSocket(`${wsUrl()}/api/live?access_token=${admin}`)).socket;
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    await konui.stop();
    expect(await closed).toBe(1001);
  });
});
