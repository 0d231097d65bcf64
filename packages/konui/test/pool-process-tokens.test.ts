// Pool process tokens: issued to a pre-warmed Claude process before any session exists,
// worthless until konsole binds them, once, to the session that claimed the process.

import type { ProcessToken } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTokenSweeper } from "../src/auth/sweeper.ts";
import { aliceWithTwoSessions, createHarness, json, SERVICE_TOKEN, silentLogger, type Harness } from "./support/harness.ts";

let h: Harness;
let admin: string;
let alice: string;
let aliceId: string;
let sessionId: string;
let otherSessionId: string;

beforeEach(async () => {
  h = await createHarness();
  ({ admin, alice, aliceId, sessionId, otherSessionId } = await aliceWithTwoSessions(h));
});
afterEach(() => h.close());

const issuePooled = (body: unknown, token = SERVICE_TOKEN) => h.call("POST", "/internal/process-tokens/pool", { token, body });
const bind = (tokenId: string, body: unknown, token = SERVICE_TOKEN) =>
  h.call("POST", `/internal/process-tokens/${tokenId}/bind`, { token, body });

async function poolToken(ttlSec?: number): Promise<ProcessToken> {
  const res = await issuePooled({ processId: "pool-1", ...(ttlSec ? { ttlSec } : {}) });
  expect(res.status).toBe(201);
  return json<ProcessToken>(res);
}

async function boundPoolToken(): Promise<ProcessToken> {
  const issued = await poolToken();
  expect((await bind(issued.tokenId, { sessionId, userId: aliceId })).status).toBe(204);
  return issued;
}

const rowCount = (): number =>
  (h.database.sqlite.prepare("select count(*) as n from process_tokens").get() as { n: number }).n;

describe("POST /internal/process-tokens/pool", () => {
  it("issues a token with no session or user, under the usual lifetime", async () => {
    const before = h.clock.now();
    const issued = await poolToken();
    const after = h.clock.now();
    expect(issued.token.startsWith("kpt_")).toBe(true);
    expect(issued.scopes.sort()).toEqual(["kontasks:write", "session:read"]);
    // Issued at some moment of the call, however long it took.
    const ttlMs = h.config.processTokenTtlSec * 1000;
    expect(Date.parse(issued.expiresAt)).toBeGreaterThanOrEqual(before + ttlMs);
    expect(Date.parse(issued.expiresAt)).toBeLessThanOrEqual(after + ttlMs);
    const row = h.database.sqlite.prepare("select session_id, user_id, bound_at, process_id from process_tokens").get();
    expect(row).toEqual({ session_id: null, user_id: null, bound_at: null, process_id: "pool-1" });
  });

  it("honours ttlSec within the protocol's range and validates the body", async () => {
    const issued = await poolToken(120);
    expect(Date.parse(issued.expiresAt) - h.clock.now()).toBeLessThanOrEqual(120_000);
    expect((await issuePooled({ processId: "p", ttlSec: 5 })).status).toBe(400);
    expect((await issuePooled({ processId: "p", ttlSec: 86_401 })).status).toBe(400);
    expect((await issuePooled({})).status).toBe(400);
  });

  it("needs the service token", async () => {
    const body = { processId: "p" };
    expect((await h.call("POST", "/internal/process-tokens/pool", { body })).status).toBe(401);
    expect((await issuePooled(body, admin)).status).toBe(401);
    expect((await issuePooled(body, (await poolToken()).token)).status).toBe(401);
  });
});

describe("an unbound pool token", () => {
  it("is refused with 401 on every kind of route, saying it is not bound yet", async () => {
    const { token } = await poolToken();
    const kontask = String((await json(await h.call("POST", "/api/kontasks", { token: alice, body: { title: "x", sessionId } }))).id);
    const attempts: [string, string, unknown?][] = [
      ["GET", "/api/me"],
      ["POST", "/api/logout"],
      ["GET", "/api/kontasks"],
      ["POST", "/api/kontasks", { title: "from a pool process", sessionId }],
      ["GET", `/api/kontasks/${kontask}`],
      ["PATCH", `/api/kontasks/${kontask}`, { status: "completed" }],
      ["GET", `/api/agents/claude/sessions/${sessionId}`],
      ["GET", "/api/agents/claude/sessions"],
      ["POST", `/api/agents/claude/sessions/${sessionId}/message`, { text: "hi" }],
      ["GET", "/api/agents/claude/guardrails"],
      ["GET", "/api/users"],
      ["GET", "/api/sessions/stats"],
      ["GET", "/api/flags"],
      ["GET", "/api/konsole/hot"],
      ["GET", "/api/live"],
      ["POST", "/internal/process-tokens/pool", { processId: "p" }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await h.call(method, url, { token, body });
      expect(res.status, `${method} ${url}`).toBe(401);
      if (!url.startsWith("/internal")) {
        expect(await json(res), `${method} ${url}`).toMatchObject({ error: { code: "unauthorized", message: expect.stringMatching(/not bound/) } });
      }
    }
  });

  it("creates nothing", async () => {
    const { token } = await poolToken();
    await h.call("POST", "/api/kontasks", { token, body: { title: "sneaky" } });
    const page = await json<{ kontasks: unknown[] }>(await h.call("GET", "/api/kontasks", { token: admin }));
    expect(page.kontasks).toEqual([]);
  });
});

describe("POST /internal/process-tokens/:tokenId/bind", () => {
  it("binds once: the token then reaches its own session, and only that", async () => {
    const { token } = await boundPoolToken();
    expect(await json(await h.call("GET", "/api/me", { token }))).toMatchObject({ kind: "process", sessionId, userId: aliceId, processId: "pool-1" });
    const created = await h.call("POST", "/api/kontasks", { token, body: { title: "done" } });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ createdBy: "claude", sessionId });
    expect((await h.call("GET", `/api/agents/claude/sessions/${sessionId}`, { token })).status).toBe(200);
    expect((await h.call("GET", `/api/agents/claude/sessions/${otherSessionId}`, { token })).status).toBe(403);
    expect((await h.call("POST", "/api/kontasks", { token, body: { title: "x", sessionId: otherSessionId } })).status).toBe(403);
    expect((await h.call("GET", "/api/users", { token })).status).toBe(403);
    expect((await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message`, { token, body: { text: "hi" } })).status).toBe(403);
  });

  it("answers 409 to a second bind, to the same session or another, and keeps the first", async () => {
    const { tokenId, token } = await boundPoolToken();
    const again = await bind(tokenId, { sessionId, userId: aliceId });
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ error: { code: "conflict" } });
    expect((await bind(tokenId, { sessionId: otherSessionId, userId: aliceId })).status).toBe(409);
    expect(await json(await h.call("GET", "/api/me", { token }))).toMatchObject({ sessionId });
  });

  it("lets exactly one of two racing binds win", async () => {
    const { tokenId } = await poolToken();
    const results = await Promise.all([
      bind(tokenId, { sessionId, userId: aliceId }),
      bind(tokenId, { sessionId: otherSessionId, userId: aliceId }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
  });

  it("answers 409 for a token that was issued bound", async () => {
    const issued = await json<ProcessToken>(
      await h.call("POST", "/internal/process-tokens", { token: SERVICE_TOKEN, body: { sessionId, userId: aliceId, processId: "p" } }),
    );
    expect((await bind(issued.tokenId, { sessionId: otherSessionId, userId: aliceId })).status).toBe(409);
  });

  it("answers 404 for an unknown, revoked or expired token", async () => {
    expect((await bind("no-such-token", { sessionId, userId: aliceId })).status).toBe(404);

    const revoked = await poolToken();
    expect((await h.call("DELETE", `/internal/process-tokens/${revoked.tokenId}`, { token: SERVICE_TOKEN })).status).toBe(204);
    expect((await bind(revoked.tokenId, { sessionId, userId: aliceId })).status).toBe(404);

    const expiring = await poolToken(60);
    h.clock.advance(60_000);
    const res = await bind(expiring.tokenId, { sessionId, userId: aliceId });
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers 400 when the user is unknown or disabled, or the session is unknown or someone else's", async () => {
    const { tokenId } = await poolToken();
    await h.userToken("bob");
    const bobId = h.services.users.findByUsername("bob")?.id ?? "";
    const bobSession = await h.newSession(await h.login("bob", "bob-password"));

    expect((await bind(tokenId, { sessionId, userId: "nobody" })).status).toBe(400);
    expect((await bind(tokenId, { sessionId: "00000000-0000-4000-8000-000000000000", userId: aliceId })).status).toBe(400);
    expect((await bind(tokenId, { sessionId: bobSession, userId: aliceId })).status).toBe(400);
    expect((await bind(tokenId, { sessionId: "../etc", userId: aliceId })).status).toBe(400);
    expect((await bind(tokenId, { sessionId })).status).toBe(400);
    expect((await h.call("PATCH", `/api/users/${bobId}`, { token: admin, body: { disabled: true } })).status).toBe(200);
    const refused = await bind(tokenId, { sessionId: bobSession, userId: bobId });
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({ error: { message: "Unknown or disabled user" } });
    // none of that bound it
    expect((await bind(tokenId, { sessionId, userId: aliceId })).status).toBe(204);
  });

  it("needs the service token", async () => {
    const { tokenId, token } = await poolToken();
    const body = { sessionId, userId: aliceId };
    expect((await h.call("POST", `/internal/process-tokens/${tokenId}/bind`, { body })).status).toBe(401);
    expect((await bind(tokenId, body, alice)).status).toBe(401);
    expect((await bind(tokenId, body, token)).status).toBe(401);
    expect((await h.call("GET", "/api/me", { token })).status).toBe(401);
  });
});

describe("lifetime of a bound pool token", () => {
  it("is refused once revoked, and when its session is deleted", async () => {
    const revoked = await boundPoolToken();
    await h.call("DELETE", `/internal/process-tokens/${revoked.tokenId}`, { token: SERVICE_TOKEN });
    expect((await h.call("GET", "/api/me", { token: revoked.token })).status).toBe(401);

    const { token } = await boundPoolToken();
    expect((await h.call("DELETE", `/api/agents/claude/sessions/${sessionId}`, { token: alice })).status).toBe(204);
    expect((await h.call("GET", "/api/me", { token })).status).toBe(401);
  });

  it("is refused after its session's memory is reset; a token bound later is not", async () => {
    const { token } = await boundPoolToken();
    expect((await h.call("POST", `/api/agents/claude/sessions/${sessionId}/reset`, { token: alice })).status).toBe(200);
    expect((await h.call("GET", "/api/me", { token })).status).toBe(401);
    h.clock.advance(1);
    const later = await boundPoolToken();
    expect((await h.call("GET", "/api/me", { token: later.token })).status).toBe(200);
  });

  it("is refused once expired", async () => {
    const { tokenId, token } = await poolToken(60);
    expect((await bind(tokenId, { sessionId, userId: aliceId })).status).toBe(204);
    h.clock.advance(60_000);
    expect((await h.call("GET", "/api/me", { token })).status).toBe(401);
  });
});

describe("sweeping and stats", () => {
  it("sweeps expired unbound tokens and keeps live ones", async () => {
    await poolToken(60);
    await poolToken(60);
    await poolToken(600);
    h.clock.advance(60_000);
    expect(rowCount()).toBe(3);
    const stop = startTokenSweeper(h.services, 60_000, silentLogger);
    stop();
    expect(rowCount()).toBe(1);
  });

  it("counts bound tokens as Claude sessions and unbound ones as pool tokens", async () => {
    await poolToken();
    await poolToken();
    await boundPoolToken();
    await poolToken(60);
    h.clock.advance(60_000);
    const stats = await json(await h.call("GET", "/api/sessions/stats", { token: admin }));
    expect(stats).toMatchObject({ claudeSessions: 1, poolTokens: 2, summary: expect.stringMatching(/^Claude sessions 1 \//) });
  });
});
