import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTokenSweeper } from "../src/auth/sweeper.ts";
import { aliceWithTwoSessions, createHarness, json, SERVICE_TOKEN, silentLogger, type Harness } from "./support/harness.ts";

let h: Harness;
let admin: string;
let aliceToken: string;
let aliceId: string;
let sessionId: string;
let otherSessionId: string;

beforeEach(async () => {
  h = await createHarness();
  ({ admin, alice: aliceToken, aliceId, sessionId, otherSessionId } = await aliceWithTwoSessions(h));
});
afterEach(() => h.close());

const issue = (body: unknown, token = SERVICE_TOKEN) => h.call("POST", "/internal/process-tokens", { token, body });

async function processToken(ttlSec?: number) {
  const res = await issue({ sessionId, userId: aliceId, processId: "proc-1", ...(ttlSec ? { ttlSec } : {}) });
  expect(res.status).toBe(201);
  return json<{ tokenId: string; token: string; expiresAt: string; scopes: string[] }>(res);
}

describe("POST /internal/process-tokens", () => {
  it("issues a token bound to process, session and user with narrow scopes", async () => {
    const issued = await processToken();
    expect(issued.scopes.sort()).toEqual(["kontasks:write", "session:read"]);
    expect(issued.token.startsWith("kpt_")).toBe(true);
    const who = await json(await h.call("GET", "/api/me", { token: issued.token }));
    expect(who).toMatchObject({ kind: "process", sessionId, userId: aliceId, processId: "proc-1" });
    // stored hashed only
    const raw = h.database.sqlite.prepare("select token_hash from process_tokens").all() as { token_hash: string }[];
    expect(raw.map((r) => r.token_hash)).not.toContain(issued.token);
  });

  it("needs the service token: none, a wrong one, a user's JWT and a process token are refused", async () => {
    const body = { sessionId, userId: aliceId, processId: "p" };
    expect((await h.call("POST", "/internal/process-tokens", { body })).status).toBe(401);
    expect((await issue(body, "wrong-service-token-000000")).status).toBe(401);
    expect((await issue(body, admin)).status).toBe(401);
    const { token } = await processToken();
    expect((await issue(body, token)).status).toBe(401);
    expect((await h.call("DELETE", "/internal/process-tokens/whatever", { token })).status).toBe(401);
  });

  it("validates the request", async () => {
    expect((await issue({ sessionId: "../etc", userId: aliceId, processId: "p" })).status).toBe(400);
    expect((await issue({ sessionId, userId: "nobody", processId: "p" })).status).toBe(400);
    expect((await issue({ sessionId: "00000000-0000-4000-8000-000000000000", userId: aliceId, processId: "p" })).status).toBe(400);
    const bobSession = await h.newSession(await h.userToken("bob"));
    expect((await issue({ sessionId: bobSession, userId: aliceId, processId: "p" })).status).toBe(400);
    expect((await issue({ sessionId, userId: aliceId, processId: "p", ttlSec: 5 })).status).toBe(400);
  });
});

describe("what a process token may do", () => {
  it("creates and updates its own kontasks and reads its own session", async () => {
    const { token } = await processToken();
    const created = await h.call("POST", "/api/kontasks", { token, body: { title: "done", context: { output: "<p>hi</p>" } } });
    expect(created.status).toBe(201);
    const kontask = await json(created);
    expect(kontask).toMatchObject({ createdBy: "claude", sessionId });
    expect((await h.call("PATCH", `/api/kontasks/${String(kontask.id)}`, { token, body: { status: "completed" } })).status).toBe(200);
    expect((await h.call("GET", `/api/agents/claude/sessions/${sessionId}`, { token })).status).toBe(200);
    // alice (the token's user) sees what her process made
    expect((await h.call("GET", `/api/kontasks/${String(kontask.id)}`, { token: aliceToken })).status).toBe(200);
  });

  it("never reaches admin routes", async () => {
    const { token } = await processToken();
    expect((await h.call("GET", "/api/users", { token })).status).toBe(403);
    expect((await h.call("POST", "/api/users", { token, body: { username: "x1", password: "12345678" } })).status).toBe(403);
    expect((await h.call("GET", "/api/sessions/stats", { token })).status).toBe(403);
    expect((await h.call("PUT", "/api/agents/claude/guardrails", { token, body: { max_turns_task: 5 } })).status).toBe(403);
    expect((await h.call("PUT", "/api/flags/session_tab_enabled", { token, body: { enabled: false } })).status).toBe(403);
  });

  it("never reaches another session, nor writes to its own", async () => {
    const { token } = await processToken();
    expect((await h.call("GET", `/api/agents/claude/sessions/${otherSessionId}`, { token })).status).toBe(403);
    expect((await h.call("POST", "/api/kontasks", { token, body: { title: "x", sessionId: otherSessionId } })).status).toBe(403);
    expect((await h.call("GET", "/api/agents/claude/sessions", { token })).status).toBe(403);
    expect((await h.call("POST", "/api/agents/claude/session", { token })).status).toBe(403);
    expect((await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message`, { token, body: { text: "hi" } })).status).toBe(403);
    expect((await h.call("POST", `/api/agents/claude/sessions/${sessionId}/reset`, { token })).status).toBe(403);
    expect((await h.call("DELETE", `/api/agents/claude/sessions/${sessionId}`, { token })).status).toBe(403);
    // a kontask of another session is invisible to it
    const mine = await json(await h.call("POST", "/api/kontasks", { token: aliceToken, body: { title: "alice's", sessionId: otherSessionId } }));
    expect((await h.call("PATCH", `/api/kontasks/${String(mine.id)}`, { token, body: { status: "failed" } })).status).toBe(404);
  });

  it("cannot mint tokens or delete kontasks", async () => {
    const { token } = await processToken();
    expect((await h.call("POST", "/api/token", { token, body: { username: "admin", password: "x" } })).status).toBe(401);
    const created = await json(await h.call("POST", "/api/kontasks", { token, body: { title: "x" } }));
    expect((await h.call("DELETE", `/api/kontasks/${String(created.id)}`, { token })).status).toBe(403);
    expect((await h.call("POST", `/api/kontasks/${String(created.id)}/choose`, { token, body: { value: "a" } })).status).toBe(403);
  });
});

describe("revocation, expiry, sweeping and stats", () => {
  it("refuses a revoked token at once; revoking twice is fine", async () => {
    const { token, tokenId } = await processToken();
    expect((await h.call("GET", "/api/me", { token })).status).toBe(200);
    expect((await h.call("DELETE", `/internal/process-tokens/${tokenId}`, { token: SERVICE_TOKEN })).status).toBe(204);
    const refused = await h.call("GET", "/api/me", { token });
    expect(refused.status).toBe(401);
    expect(await json(refused)).toMatchObject({ error: { code: "unauthorized" } });
    expect((await h.call("DELETE", `/internal/process-tokens/${tokenId}`, { token: SERVICE_TOKEN })).status).toBe(204);
  });

  it("refuses an expired token at once and the sweeper deletes its row", async () => {
    const { token } = await processToken(60);
    h.clock.advance(60_000);
    expect((await h.call("GET", "/api/me", { token })).status).toBe(401);
    expect(h.database.sqlite.prepare("select count(*) as n from process_tokens").get()).toEqual({ n: 1 });
    const stop = startTokenSweeper(h.services, 60_000, silentLogger);
    stop();
    expect(h.database.sqlite.prepare("select count(*) as n from process_tokens").get()).toEqual({ n: 0 });
  });

  it("refuses a forged process token", async () => {
    expect((await h.call("GET", "/api/me", { token: "kpt_forged-not-issued" })).status).toBe(401);
  });

  it("reports live process tokens against human logins", async () => {
    await processToken();
    await processToken();
    const { tokenId } = await processToken();
    await h.call("DELETE", `/internal/process-tokens/${tokenId}`, { token: SERVICE_TOKEN });
    const stats = await json(await h.call("GET", "/api/sessions/stats", { token: admin }));
    // humans: admin's login (twice: harness + beforeEach) and alice's
    expect(stats).toEqual({ claudeSessions: 2, poolTokens: 0, humanSessions: 3, summary: "Claude sessions 2 / Human sessions 3" });
  });
});
