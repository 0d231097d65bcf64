import { ApiError, type AgentSessionWithMessages, type Message } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminAliceBob, createHarness, json, type Harness } from "./support/harness.ts";

let h: Harness;
let alice: string;
let bob: string;
let admin: string;
beforeEach(async () => {
  h = await createHarness();
  ({ admin, alice, bob } = await adminAliceBob(h));
});
afterEach(() => h.close());

const base = "/api/agents/claude";
async function newSession(token: string, agent = "claude"): Promise<string> {
  const res = await h.call("POST", `/api/agents/${agent}/session`, { token, body: { title: "work" } });
  expect(res.status).toBe(201);
  return String((await json(res)).id);
}
const getSession = async (id: string, token: string) =>
  json<AgentSessionWithMessages>(await h.call("GET", `${base}/sessions/${id}`, { token }));

describe("agent sessions", () => {
  it("creates empty sessions with zero cost and lists them caller-scoped", async () => {
    const a = await newSession(alice);
    await newSession(bob);
    const created = await getSession(a, alice);
    expect(created).toMatchObject({ agent: "claude", title: "work", totalCostUsd: 0, messageCount: 0, messages: [] });

    const mine = await json<{ sessions: { id: string }[] }>(await h.call("GET", `${base}/sessions`, { token: alice }));
    expect(mine.sessions.map((s) => s.id)).toEqual([a]);
    const all = await json<{ sessions: unknown[] }>(await h.call("GET", `${base}/sessions`, { token: admin }));
    expect(all.sessions).toHaveLength(2);
    const otherAgent = await json<{ sessions: unknown[] }>(await h.call("GET", "/api/agents/reviewer/sessions", { token: alice }));
    expect(otherAgent.sessions).toHaveLength(0);
  });

  it("caps the sessions one user may have open (409 naming the limit), others unaffected", async () => {
    const capped = await createHarness({ env: { KONUI_MAX_SESSIONS_PER_USER: "3" } });
    try {
      const { alice: a, bob: b } = await adminAliceBob(capped);
      const create = () => capped.call("POST", "/api/agents/claude/session", { token: a, body: {} });
      const made = await Promise.all([create(), create(), create(), create(), create()]);
      expect(made.map((res) => res.status).sort()).toEqual([201, 201, 201, 409, 409]);
      const refused = await json<{ error: { code: string; message: string; details: { limit: number } } }>(
        made.find((res) => res.status === 409) ?? made[0]!,
      );
      expect(refused.error).toMatchObject({ code: "conflict", details: { limit: 3 } });
      expect(refused.error.message).toContain("3 open sessions");
      expect((await capped.call("POST", "/api/agents/reviewer/session", { token: a, body: {} })).status).toBe(409);
      expect((await capped.call("POST", "/api/agents/claude/session", { token: b, body: {} })).status).toBe(201);
      const first = (await json<{ sessions: { id: string }[] }>(await capped.call("GET", "/api/agents/claude/sessions", { token: a }))).sessions[0];
      expect((await capped.call("DELETE", `/api/agents/claude/sessions/${first?.id}`, { token: a })).status).toBe(204);
      expect((await create()).status).toBe(201);
    } finally {
      capped.close();
    }
  });

  it("hides other users' sessions (404) but not from admin", async () => {
    const a = await newSession(alice);
    expect((await h.call("GET", `${base}/sessions/${a}`, { token: bob })).status).toBe(404);
    expect((await h.call("POST", `${base}/sessions/${a}/message`, { token: bob, body: { text: "hi" } })).status).toBe(404);
    expect((await h.call("DELETE", `${base}/sessions/${a}`, { token: bob })).status).toBe(404);
    expect((await h.call("GET", `/api/agents/reviewer/sessions/${a}`, { token: alice })).status).toBe(404);
    expect((await h.call("GET", `${base}/sessions/${a}`, { token: admin })).status).toBe(200);
    expect((await h.call("GET", "/api/agents/Bad%20Name/sessions", { token: alice })).status).toBe(400);
  });

  it("sends a turn synchronously and answers with the assistant message and its figures", async () => {
    const id = await newSession(alice);
    const res = await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "Remember 42" } });
    expect(res.status).toBe(200);
    const body = await json<{ turnId: string; message: Message; userMessage: Message }>(res);
    expect(body.message).toMatchObject({
      role: "assistant",
      text: "echo: Remember 42",
      status: "complete",
      costUsd: 0.0123,
      durationMs: 1234,
      tokens: { input: 10, output: 20, cacheRead: 30, cacheCreation: 40 },
      lastCachePct: 12.3,
      recovered: false,
      memoryLost: false,
      turnId: body.turnId,
    });
    expect(body.message.claudeSessionId).toBeTruthy();
    const [sent] = h.konsole.requests;
    expect(sent).toMatchObject({
      sessionId: id,
      request: { text: "Remember 42", maxTurns: 50, executionTimeoutSec: 900, mode: "hot", files: [], images: [] },
    });
    expect(sent?.request.userId).toBe(h.services.users.findByUsername("alice")?.id);

    const session = await getSession(id, alice);
    expect(session.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(session.totalCostUsd).toBeCloseTo(0.0123);
    expect(session.claudeSessionId).toBe(body.message.claudeSessionId);
  });

  it("sends asynchronously (202 + turn id) and the reply can be fetched by id", async () => {
    const id = await newSession(alice);
    h.konsole.script = () => ({ status: "succeeded", hold: true });
    const res = await h.call("POST", `${base}/sessions/${id}/message?async=true`, { token: alice, body: { text: "slow" } });
    expect(res.status).toBe(202);
    const { turnId } = await json<{ turnId: string }>(res);
    expect(h.konsole.requests[0]?.request.mode).toBe("hot");
    const running = await json(await h.call("GET", `${base}/sessions/${id}/turns/${turnId}`, { token: alice }));
    expect(running).toMatchObject({ status: "queued", assistantMessage: null });

    h.konsole.finish(turnId, { status: "succeeded", reply: "finally" });
    const done = await json(await h.call("GET", `${base}/sessions/${id}/turns/${turnId}`, { token: alice }));
    expect(done).toMatchObject({ status: "succeeded", assistantMessage: { text: "finally" } });
    expect((await h.call("GET", `${base}/sessions/${id}/turns/${crypto.randomUUID()}`, { token: alice })).status).toBe(404);
  });

  it("records a failed turn with its exact error", async () => {
    const id = await newSession(alice);
    const message =
      "Task exceeded turn limit: Reached maximum number of turns (3). Consider increasing max_turns_task in guardrails or breaking into smaller subtasks.";
    h.konsole.script = () => ({ status: "failed", error: { code: "max_turns", message } });
    const res = await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "loop" } });
    expect(res.status).toBe(200);
    expect((await json<{ message: Message }>(res)).message).toMatchObject({ status: "failed", error: { code: "max_turns", message } });
  });

  it("uses max_turns_chat for chat turns", async () => {
    const id = await newSession(alice);
    await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "hi", kind: "chat" } });
    expect(h.konsole.requests[0]?.request.maxTurns).toBe(20);
  });

  it("keeps nothing and answers 503 / 429 when konsole is down or full", async () => {
    const id = await newSession(alice);
    h.konsole.failWith = new ApiError("unavailable", "konsole is unreachable");
    const down = await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "hi" } });
    expect(down.status).toBe(503);
    h.konsole.failWith = new ApiError("queue_full", "busy");
    expect((await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "hi" } })).status).toBe(429);
    expect((await getSession(id, alice)).messages).toEqual([]);
  });

  it("refuses empty and malformed sends", async () => {
    const id = await newSession(alice);
    expect((await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "  " } })).status).toBe(400);
    expect((await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "x", kind: "nope" } })).status).toBe(400);
    const bad = await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: "{", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
  });

  it("resets memory but keeps the visible log", async () => {
    const id = await newSession(alice);
    await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "Remember 42" } });
    const res = await h.call("POST", `${base}/sessions/${id}/reset`, { token: alice });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ claudeSessionId: null, messageCount: 2 });
    expect(h.konsole.resets).toEqual([id]);
    expect((await getSession(id, alice)).messages).toHaveLength(2);
  });

  it("shows a reply that lands after a reset but does not resume its conversation", async () => {
    const id = await newSession(alice);
    await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "Remember 42" } });
    h.konsole.script = () => ({ status: "succeeded", hold: true });
    const { turnId } = await json<{ turnId: string }>(
      await h.call("POST", `${base}/sessions/${id}/message?async=true`, { token: alice, body: { text: "slow one" } }),
    );
    expect((await h.call("POST", `${base}/sessions/${id}/reset`, { token: alice })).status).toBe(200);

    const late = h.konsole.finish(turnId, { status: "succeeded", reply: "late reply" });
    h.services.recorder.record({ ...late, claudeSessionId: crypto.randomUUID() });
    const afterLate = await getSession(id, alice);
    expect(afterLate.claudeSessionId).toBeNull();
    expect(afterLate.messages.at(-1)).toMatchObject({ role: "assistant", text: "late reply", turnId });

    h.konsole.script = (request) => ({ status: "succeeded", reply: `echo: ${request.text}` });
    const fresh = await json<{ message: Message }>(
      await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "new start" } }),
    );
    expect((await getSession(id, alice)).claudeSessionId).toBe(fresh.message.claudeSessionId);
  });

  it("deletes a session in konsole and konui", async () => {
    const id = await newSession(alice);
    await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "hi" } });
    expect((await h.call("DELETE", `${base}/sessions/${id}`, { token: alice })).status).toBe(204);
    expect(h.konsole.deletes).toEqual([id]);
    expect((await h.call("GET", `${base}/sessions/${id}`, { token: alice })).status).toBe(404);
  });

  it("keeps the session when konsole cannot delete it", async () => {
    const id = await newSession(alice);
    h.konsole.failWith = new ApiError("unavailable", "down");
    expect((await h.call("DELETE", `${base}/sessions/${id}`, { token: alice })).status).toBe(503);
    h.konsole.failWith = undefined;
    expect((await h.call("GET", `${base}/sessions/${id}`, { token: alice })).status).toBe(200);
  });

  it("interrupts a running turn", async () => {
    const id = await newSession(alice);
    h.konsole.script = () => ({ status: "succeeded", hold: true });
    const { turnId } = await json<{ turnId: string }>(
      await h.call("POST", `${base}/sessions/${id}/message?async=true`, { token: alice, body: { text: "x" } }),
    );
    expect((await h.call("POST", `${base}/sessions/${id}/turns/${turnId}/interrupt`, { token: alice })).status).toBe(202);
    expect(h.konsole.interrupts).toEqual([turnId]);
  });
});

describe("guardrails", () => {
  it("reads defaults and lets only admins change them", async () => {
    expect(await json(await h.call("GET", `${base}/guardrails`, { token: alice }))).toEqual({
      max_turns_task: 50,
      max_turns_chat: 20,
      execution_timeout_sec: 900,
    });
    expect((await h.call("PUT", `${base}/guardrails`, { token: alice, body: { max_turns_task: 3 } })).status).toBe(403);
    const res = await h.call("PUT", `${base}/guardrails`, { token: admin, body: { max_turns_task: 3 } });
    expect(await json(res)).toMatchObject({ max_turns_task: 3, max_turns_chat: 20 });
    // applies to the next turn, and only for this agent
    const id = await newSession(alice);
    await h.call("POST", `${base}/sessions/${id}/message`, { token: alice, body: { text: "x" } });
    expect(h.konsole.requests.at(-1)?.request.maxTurns).toBe(3);
    expect(await json(await h.call("GET", "/api/agents/other/guardrails", { token: alice }))).toMatchObject({ max_turns_task: 50 });
  });

  it.each([
    [{ max_turns_task: 0 }, "max_turns_task"],
    [{ max_turns_task: 501 }, "max_turns_task"],
    [{ max_turns_chat: 0 }, "max_turns_chat"],
    [{ max_turns_chat: 1.5 }, "max_turns_chat"],
    [{ execution_timeout_sec: 0 }, "execution_timeout_sec"],
    [{ max_turns_task: "5" }, "max_turns_task"],
    [{ bogus: 1 }, "bogus"],
  ])("refuses %j with 400 naming %s", async (body, field) => {
    const res = await h.call("PUT", `${base}/guardrails`, { token: admin, body });
    expect(res.status).toBe(400);
    const error = (await json<{ error: { message: string } }>(res)).error;
    expect(error.message).toContain(field);
    expect(await json(await h.call("GET", `${base}/guardrails`, { token: admin }))).toMatchObject({ max_turns_task: 50 });
  });
});

describe("feature flag session_tab_enabled", () => {
  it("answers 404 on every session endpoint when off, per agent or globally", async () => {
    const id = await newSession(alice);
    expect((await h.call("PUT", "/api/flags/session_tab_enabled", { token: alice, body: { enabled: false } })).status).toBe(403);
    const off = await h.call("PUT", "/api/flags/session_tab_enabled", { token: admin, body: { enabled: false, agent: "claude" } });
    expect(await json(off)).toEqual({ name: "session_tab_enabled", agent: "claude", enabled: false });
    const calls: [string, string, unknown?][] = [
      ["POST", `${base}/session`],
      ["GET", `${base}/sessions`],
      ["GET", `${base}/sessions/${id}`],
      ["POST", `${base}/sessions/${id}/message`, { text: "hi" }],
      ["POST", `${base}/sessions/${id}/reset`],
      ["DELETE", `${base}/sessions/${id}`],
      ["GET", `${base}/guardrails`],
      ["PUT", `${base}/guardrails`, { max_turns_task: 3 }],
    ];
    for (const [method, url, body] of calls) {
      const res = await h.call(method, url, { token: admin, body });
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect((await h.call("GET", "/api/agents/other/sessions", { token: alice })).status).toBe(200);

    await h.call("PUT", "/api/flags/session_tab_enabled", { token: admin, body: { enabled: false } });
    expect((await h.call("GET", "/api/agents/other/sessions", { token: alice })).status).toBe(404);
    const flags = await json<{ flags: unknown[] }>(await h.call("GET", "/api/flags", { token: alice }));
    expect(flags.flags).toEqual([
      { name: "session_tab_enabled", agent: null, enabled: false },
      { name: "session_tab_enabled", agent: "claude", enabled: false },
    ]);
    await h.call("PUT", "/api/flags/session_tab_enabled", { token: admin, body: { enabled: true, agent: "claude" } });
    expect((await h.call("GET", `${base}/sessions/${id}`, { token: alice })).status).toBe(200);
    expect((await h.call("PUT", "/api/flags/unknown_flag", { token: admin, body: { enabled: true } })).status).toBe(400);
  });
});
