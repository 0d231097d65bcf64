import { ApiError, ErrorBody, type AgentSession, type ObservedSession } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminAliceBob, createHarness, json, SERVICE_TOKEN, type Harness } from "./support/harness.ts";

// /api/host/*: admins see the whole host, a plain user the conversations of their own agent
// sessions, process tokens nothing; adopting follows the same line.

let h: Harness;
let tokens: { admin: string; alice: string; bob: string };
let aliceConversation = "";

const usage = { tokens: { input: 10, output: 5, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, costUsd: 0.25, messages: 1, unpricedMessages: 0 };
function hostSession(id: string, cwd: string | null = "/home/me/project"): ObservedSession {
  return {
    id,
    projectDir: "-home-me-project",
    cwd,
    gitBranch: "main",
    title: `session ${id}`,
    models: ["claude-sonnet-4-5"],
    firstActivityAt: "2026-11-20T10:00:00.000Z",
    lastActivityAt: "2026-11-20T11:00:00.000Z",
    state: "idle",
    usage,
    sidechainUsage: { ...usage, tokens: { ...usage.tokens, input: 0, output: 0 }, costUsd: 0, messages: 0 },
    toolCalls: {},
    filesChangedCount: 0,
    konsoleSessionId: null,
  };
}
const TERMINAL = "9b1f7a52-1111-4a0e-9d3c-000000000001";
const NO_CWD = "9b1f7a52-1111-4a0e-9d3c-000000000002";

beforeEach(async () => {
  h = await createHarness();
  tokens = await adminAliceBob(h);
  // Alice's session ran one turn: its conversation is hers.
  const sessionId = await h.newSession(tokens.alice);
  const sent = await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message`, { token: tokens.alice, body: { text: "hi" } });
  expect(sent.status).toBe(200);
  aliceConversation = h.konsole.claudeIds.get(sessionId) ?? "";
  h.konsole.hostSessions = [hostSession(aliceConversation), hostSession(TERMINAL), hostSession(NO_CWD, null)];
});
afterEach(() => h.close());

const get = (url: string, token: string) => h.call("GET", url, { token });
const ids = async (res: Response) => (await json<{ sessions: ObservedSession[] }>(res)).sessions.map((s) => s.id);

describe("GET /api/host/*", () => {
  it("shows an admin the whole host, asking konsole for all of it", async () => {
    const res = await get("/api/host/sessions?active=true&limit=10", tokens.admin);
    expect(res.status).toBe(200);
    expect(await ids(res)).toEqual([aliceConversation, TERMINAL, NO_CWD]);
    expect(h.konsole.observerQueries.at(-1)).toEqual({ view: "sessions", sessions: undefined });
    expect((await get(`/api/host/sessions/${TERMINAL}`, tokens.admin)).status).toBe(200);
    expect((await get("/api/host/status", tokens.admin)).status).toBe(200);
    expect((await get("/api/host/blocks", tokens.admin)).status).toBe(200);
    const report = await get("/api/host/usage?groupBy=project&since=2026-11-01&until=2026-11-30", tokens.admin);
    expect(report.status).toBe(200);
    expect(await json(report)).toMatchObject({ groupBy: "project", since: "2026-11-01T00:00:00.000Z" });
  });

  it("shows a plain user only the conversations of their own sessions", async () => {
    const res = await get("/api/host/sessions", tokens.alice);
    expect(await ids(res)).toEqual([aliceConversation]);
    expect(h.konsole.observerQueries.at(-1)).toEqual({ view: "sessions", sessions: [aliceConversation] });
    expect((await get(`/api/host/sessions/${aliceConversation}`, tokens.alice)).status).toBe(200);
    const other = await get(`/api/host/sessions/${TERMINAL}`, tokens.alice);
    expect(other.status).toBe(404);
    expect(ErrorBody.safeParse(await json(other)).success).toBe(true);
    await get("/api/host/usage?groupBy=day", tokens.alice);
    expect(h.konsole.observerQueries.at(-1)).toEqual({ view: "usage", sessions: [aliceConversation] });
    await get("/api/host/blocks", tokens.alice);
    expect(h.konsole.observerQueries.at(-1)).toEqual({ view: "blocks", sessions: [aliceConversation] });
    expect((await get("/api/host/status", tokens.alice)).status).toBe(403);
  });

  it("answers a user without sessions with nothing, without asking konsole", async () => {
    const asked = h.konsole.observerQueries.length;
    expect(await ids(await get("/api/host/sessions", tokens.bob))).toEqual([]);
    expect(await json(await get("/api/host/usage", tokens.bob))).toMatchObject({ rows: [], totals: { costUsd: 0 } });
    expect(await json(await get("/api/host/blocks", tokens.bob))).toEqual({ blocks: [] });
    expect(h.konsole.observerQueries.length).toBe(asked);
  });

  it("refuses process tokens", async () => {
    const sessionId = await h.newSession(tokens.alice);
    const issued = await h.call("POST", "/internal/process-tokens", {
      token: SERVICE_TOKEN,
      body: { sessionId, userId: h.userId("alice"), processId: "proc-1" },
    });
    const { token } = await json<{ token: string }>(issued);
    for (const url of ["/api/host/sessions", `/api/host/sessions/${aliceConversation}`, "/api/host/usage", "/api/host/blocks"]) {
      expect((await get(url, token)).status, url).toBe(403);
    }
    expect((await h.call("POST", `/api/host/sessions/${aliceConversation}/adopt`, { token, body: {} })).status).toBe(403);
    expect((await get("/api/host/sessions", "")).status).toBe(401);
  });

  it("refuses bad queries with 400 and says 503 when konsole is down", async () => {
    for (const url of [
      "/api/host/sessions?limit=0",
      "/api/host/sessions?active=maybe",
      "/api/host/sessions?sessions=x",
      "/api/host/usage?groupBy=week",
      "/api/host/usage?since=2026-11-02&until=2026-11-01",
      "/api/host/blocks?since=yesterday",
    ]) {
      const res = await get(url, tokens.admin);
      expect(res.status, url).toBe(400);
      expect(ErrorBody.safeParse(await json(res)).success, url).toBe(true);
    }
    h.konsole.observerDown = true;
    for (const url of ["/api/host/sessions", `/api/host/sessions/${TERMINAL}`, "/api/host/usage", "/api/host/blocks", "/api/host/status"]) {
      const res = await get(url, tokens.admin);
      expect(res.status, url).toBe(503);
      expect(await json(res), url).toMatchObject({ error: { code: "unavailable" } });
    }
  });
});

describe("POST /api/host/sessions/:id/adopt", () => {
  const adopt = (id: string, token: string, body: unknown = {}) => h.call("POST", `/api/host/sessions/${id}/adopt`, { token, body });

  it("lets an admin continue any host session in a new agent session bound to it", async () => {
    const res = await adopt(TERMINAL, tokens.admin, { agent: "claude" });
    expect(res.status).toBe(201);
    const session = await json<AgentSession>(res);
    expect(session).toMatchObject({ agent: "claude", claudeSessionId: TERMINAL, title: `session ${TERMINAL}`, userId: h.userId("admin") });
    expect(h.konsole.adoptions).toEqual([{ sessionId: session.id, request: { claudeSessionId: TERMINAL, cwd: "/home/me/project" } }]);
    const listed = await json<{ sessions: AgentSession[] }>(await get("/api/agents/claude/sessions", tokens.admin));
    expect(listed.sessions.map((s) => s.id)).toContain(session.id);
  });

  it("lets a plain user adopt only a conversation of their own", async () => {
    expect((await adopt(TERMINAL, tokens.alice)).status).toBe(404);
    expect((await adopt(aliceConversation, tokens.bob)).status).toBe(404);
    const mine = await adopt(aliceConversation, tokens.alice, { title: "Continued" });
    expect(mine.status).toBe(201);
    expect(await json(mine)).toMatchObject({ claudeSessionId: aliceConversation, title: "Continued", userId: h.userId("alice") });
    expect(h.konsole.adoptions.map((a) => a.request.claudeSessionId)).toEqual([aliceConversation]);
  });

  it("refuses a session with no cwd (409), a bad body (400), and leaves no session behind when konsole refuses", async () => {
    expect((await adopt(NO_CWD, tokens.admin)).status).toBe(409);
    expect((await adopt(TERMINAL, tokens.admin, { agent: "Not An Agent" })).status).toBe(400);
    expect((await adopt(TERMINAL, tokens.admin, { extra: 1 })).status).toBe(400);
    expect((await adopt("no-such-session", tokens.admin)).status).toBe(404);
    const before = (await json<{ sessions: AgentSession[] }>(await get("/api/agents/claude/sessions", tokens.admin))).sessions.length;
    h.konsole.failWith = new ApiError("conflict", "konsole: konsole is running conversation x for another session");
    expect((await adopt(TERMINAL, tokens.admin)).status).toBe(409);
    const after = (await json<{ sessions: AgentSession[] }>(await get("/api/agents/claude/sessions", tokens.admin))).sessions.length;
    expect(after).toBe(before);
  });
});
