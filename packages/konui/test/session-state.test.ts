// What a session says about itself for the dashboard: state, active turn, hot, last activity,
// renames, the `session` frames, and its messages a page at a time.

import type { AgentSession, AgentSessionWithMessages, DashboardServerFrame, Message, MessagePage } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminAliceBob, createHarness, json, type Harness } from "./support/harness.ts";

let h: Harness;
let alice: string;
let bob: string;
let admin: string;
const frames: DashboardServerFrame[] = [];
beforeEach(async () => {
  h = await createHarness();
  ({ admin, alice, bob } = await adminAliceBob(h));
  frames.length = 0;
  h.services.hub.add({ userId: h.userId("alice"), jti: "watcher", isAdmin: false, send: (f) => frames.push(f), end: () => {} });
});
afterEach(async () => {
  await h.services.sessionFrames.settled();
  h.close();
});

const base = "/api/agents/claude";
const list = async (token: string) => (await json<{ sessions: AgentSession[] }>(await h.call("GET", `${base}/sessions`, { token }))).sessions;
const sessionFrames = async () => {
  await h.services.sessionFrames.settled();
  return frames.flatMap((f) => (f.type === "session" ? [{ action: f.action, session: f.session }] : []));
};

describe("session state", () => {
  it("is idle, cold and last active when created until a turn is queued, then follows the turn", async () => {
    const id = await h.newSession(alice);
    const [created] = await list(alice);
    expect(created).toMatchObject({ id, state: "idle", activeTurnId: null, hot: false, title: null });
    expect(created?.lastActivityAt).toBe(created?.createdAt);

    h.konsole.script = () => ({ status: "succeeded", hold: true });
    const sent = await h.call("POST", `${base}/sessions/${id}/message?async=true`, { token: alice, body: { text: "hi" } });
    const { turnId } = await json<{ turnId: string }>(sent);
    const [queued] = await list(alice);
    expect(queued).toMatchObject({ state: "queued", activeTurnId: turnId });
    expect(Date.parse(queued?.lastActivityAt ?? "")).toBeGreaterThanOrEqual(Date.parse(created?.createdAt ?? ""));

    h.services.recorder.record({ ...(await h.konsole.getTurn(turnId)), status: "running" });
    expect((await list(alice))[0]).toMatchObject({ state: "running", activeTurnId: turnId });

    h.konsole.hotSessionIds = [id];
    h.services.recorder.record(h.konsole.finish(turnId, { status: "succeeded", reply: "hello" }));
    const [done] = await list(alice);
    expect(done).toMatchObject({ state: "idle", activeTurnId: null, hot: true, messageCount: 2 });
    const session = await json<AgentSessionWithMessages>(await h.call("GET", `${base}/sessions/${id}`, { token: alice }));
    expect(session.lastActivityAt).toBe(session.messages.at(-1)?.createdAt);
    expect(session.hot).toBe(true);

    expect((await sessionFrames()).map(({ action, session: s }) => [action, s.state, s.activeTurnId])).toEqual([
      ["created", "idle", null],
      ["updated", "queued", turnId],
      ["updated", "running", turnId],
      ["updated", "idle", null],
    ]);
    expect((await sessionFrames()).at(-1)?.session.hot).toBe(true);
  });

  it("lists sessions with hot unknown (null) while konsole cannot be reached", async () => {
    const id = await h.newSession(alice);
    h.konsole.hotStatusDown = true;
    const res = await h.call("GET", `${base}/sessions`, { token: alice });
    expect(res.status).toBe(200);
    expect((await json<{ sessions: AgentSession[] }>(res)).sessions).toEqual([expect.objectContaining({ id, hot: null })]);
    const one = await h.call("GET", `${base}/sessions/${id}`, { token: alice });
    expect(one.status).toBe(200);
    expect((await json<AgentSession>(one)).hot).toBeNull();
  });

  it("puts the turn's timing and model on its assistant message", async () => {
    const id = await h.newSession(alice);
    const res = await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "time me" } });
    const { message, userMessage } = await json<{ message: Message; userMessage: Message }>(res);
    expect(message.timing).toEqual({ totalMs: 1234, ttfeMs: 100, thinkingMs: 900, toolExecutionMs: 234, toolCallCount: 1 });
    expect(message.model).toBe("claude-test");
    expect(userMessage).toMatchObject({ timing: null, model: null });
  });
});

describe("PATCH /api/agents/:name/sessions/:id", () => {
  it("renames and clears the title, telling the owner's dashboards", async () => {
    const id = await h.newSession(alice);
    const renamed = await h.call("PATCH", `${base}/sessions/${id}`, { token: alice, body: { title: "  Quarterly numbers " } });
    expect(renamed.status).toBe(200);
    expect(await json(renamed)).toMatchObject({ id, title: "Quarterly numbers", state: "idle" });
    const byAdmin = await h.call("PATCH", `${base}/sessions/${id}`, { token: admin, body: { title: null } });
    expect(await json(byAdmin)).toMatchObject({ title: null });
    expect((await list(alice))[0]?.title).toBeNull();

    expect((await sessionFrames()).map(({ action, session }) => [action, session.title])).toEqual([
      ["created", null],
      ["updated", "Quarterly numbers"],
      ["updated", null],
    ]);
    expect((await h.call("DELETE", `${base}/sessions/${id}`, { token: alice })).status).toBe(204);
    expect((await sessionFrames()).at(-1)).toMatchObject({ action: "deleted", session: { id } });
  });

  it("404s for sessions the caller cannot see, 403s process tokens, 400s bad titles", async () => {
    const id = await h.newSession(alice);
    expect((await h.call("PATCH", `${base}/sessions/${id}`, { token: bob, body: { title: "mine now" } })).status).toBe(404);
    expect((await h.call("PATCH", `/api/agents/other/sessions/${id}`, { token: alice, body: { title: "x" } })).status).toBe(404);
    const processToken = h.services.processTokens.issue({ sessionId: id, userId: h.userId("alice"), processId: "p1" }).token;
    const refused = await h.call("PATCH", `${base}/sessions/${id}`, { token: processToken, body: { title: "x" } });
    expect(refused.status).toBe(403);
    for (const body of [{ title: "   " }, { title: 5 }, {}, { title: "x".repeat(201) }]) {
      const res = await h.call("PATCH", `${base}/sessions/${id}`, { token: alice, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: "bad_request" } });
    }
    const wrongType = await h.call("PATCH", `${base}/sessions/${id}`, { token: alice, body: "title=x", headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(415);
  });
});

describe("GET .../messages", () => {
  it("pages newest first, each page in order, with an opaque cursor to the older ones", async () => {
    const id = await h.newSession(alice);
    for (let i = 1; i <= 5; i += 1) {
      const res = await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: `m${i}` } });
      expect(res.status).toBe(200);
    }
    const texts: string[][] = [];
    let before: string | null | undefined;
    do {
      const query = new URLSearchParams({ limit: "4", ...(before ? { before } : {}) });
      const res = await h.call("GET", `${base}/sessions/${id}/messages?${query}`, { token: alice });
      expect(res.status).toBe(200);
      const page = await json<MessagePage>(res);
      texts.push(page.messages.map((m) => m.text));
      before = page.olderCursor;
    } while (before);
    expect(texts).toEqual([
      ["m4", "echo: m4", "m5", "echo: m5"],
      ["m2", "echo: m2", "m3", "echo: m3"],
      ["m1", "echo: m1"],
    ]);
    const all = await json<AgentSessionWithMessages>(await h.call("GET", `${base}/sessions/${id}`, { token: alice }));
    expect(all.messages).toHaveLength(10);
    const whole = await json<MessagePage>(await h.call("GET", `${base}/sessions/${id}/messages`, { token: alice }));
    expect(whole).toMatchObject({ olderCursor: null, toolCalls: [] });
    expect(whole.messages).toHaveLength(10);
  });

  it("refuses a bad cursor or limit with 400 and hides other people's sessions", async () => {
    const id = await h.newSession(alice);
    for (const query of ["before=nonsense", "before=WzEsMl0x", "limit=0", "limit=201", "limit=abc"]) {
      const res = await h.call("GET", `${base}/sessions/${id}/messages?${query}`, { token: alice });
      expect(res.status, query).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: "bad_request" } });
    }
    expect((await h.call("GET", `${base}/sessions/${id}/messages`, { token: bob })).status).toBe(404);
  });
});
