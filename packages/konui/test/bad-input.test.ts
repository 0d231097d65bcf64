import { ErrorBody, type Kontask } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, json, SERVICE_TOKEN, type Harness } from "./support/harness.ts";

// "Errors are part of the product": every bad input is a clear 4xx in the one ErrorBody shape.

let h: Harness;
let alice: string;
let bob: string;
let aliceSession: string;
beforeEach(async () => {
  h = await createHarness();
  alice = await h.userToken("alice");
  bob = await h.userToken("bob");
  aliceSession = await h.newSession(alice);
});
afterEach(() => h.close());

const MB = 1024 * 1024;
type Options = Parameters<Harness["call"]>[2];

async function expectError(method: string, url: string, options: Options, status: number, message?: RegExp): Promise<void> {
  const res = await h.call(method, url, options);
  const text = await res.text();
  expect(res.status, `${method} ${url}: ${text.slice(0, 300)}`).toBe(status);
  const body = ErrorBody.parse(JSON.parse(text));
  expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  if (message) expect(body.error.message).toMatch(message);
}

const rawJson = (body: string) => ({ body, headers: { "content-type": "application/json" } });

describe("bad input", () => {
  it("refuses oversized bodies with 413 on every route that reads one", async () => {
    const big = rawJson(JSON.stringify({ title: "x".repeat(9 * MB) }));
    await expectError("POST", "/api/token", big, 413, /larger than/);
    await expectError("POST", "/api/kontasks", { token: alice, ...big }, 413);
    await expectError("POST", "/api/agents/claude/session", { token: alice, ...big }, 413);
    await expectError("POST", `/api/agents/claude/sessions/${aliceSession}/message`, { token: alice, ...big }, 413);
    await expectError("POST", "/internal/process-tokens", { token: SERVICE_TOKEN, ...big }, 413);
    expect(h.konsole.requests).toEqual([]);
  });

  it("still takes a kontask with ~2 MB of HTML output", async () => {
    const res = await h.call("POST", "/api/kontasks", { token: alice, body: { title: "big", context: { output: "<p>".repeat(600_000) } } });
    expect(res.status).toBe(201);
  });

  it.each([
    ["limit=-1", /limit: an integer from 1 to 200/],
    ["limit=abc", /limit: an integer from 1 to 200/],
    ["limit=201", /limit: an integer from 1 to 200/],
    ["since=garbage", /since: an ISO date/],
    ["since=2026-02-30", /since: an ISO date/],
    ["status=bogus", /status/],
    ["cursor=garbage", /nextCursor of the previous page/],
  ])("answers GET /api/kontasks?%s with a 400 naming the parameter", async (query, message) => {
    await expectError("GET", `/api/kontasks?${query}`, { token: alice }, 400, message);
  });

  it("refuses an unknown ?async= value instead of silently waiting", async () => {
    await expectError("POST", `/api/agents/claude/sessions/${aliceSession}/message?async=maybe`, { token: alice, body: { text: "hi" } }, 400, /async: true or false/);
    expect(h.konsole.requests).toEqual([]);
  });

  it.each([
    ["malformed JSON", 400, rawJson("{")],
    ["a JSON array", 400, rawJson("[]")],
    ["JSON null", 400, rawJson("null")],
    ["a wrong type", 400, { body: { text: 5 } }],
    ["a text/plain body", 415, { body: "{}", headers: { "content-type": "text/plain" } }],
    ["multipart without a boundary", 400, { body: "abc", headers: { "content-type": "multipart/form-data" } }],
    ["a broken multipart body", 400, { body: "--x\r\nbroken", headers: { "content-type": "multipart/form-data; boundary=x" } }],
  ] as const)("refuses a send with %s (%i), storing nothing", async (_what, status, options: Parameters<typeof h.call>[2]) => {
    await expectError("POST", `/api/agents/claude/sessions/${aliceSession}/message`, { token: alice, ...options }, status);
    const session = await json<{ messages: unknown[] }>(await h.call("GET", `/api/agents/claude/sessions/${aliceSession}`, { token: alice }));
    expect(session.messages).toEqual([]);
  });

  it("answers 404 for unknown ids and for ids of other users' things, leaving them untouched", async () => {
    const kontask = await json<Kontask>(
      await h.call("POST", "/api/kontasks", {
        token: alice,
        body: { title: "alice's", sessionId: aliceSession, context: { choices: [{ label: "Go", value: "go" }] } },
      }),
    );
    const sent = await json<{ turnId: string }>(
      await h.call("POST", `/api/agents/claude/sessions/${aliceSession}/message`, { token: alice, body: { text: "hi" } }),
    );
    const session = `/api/agents/claude/sessions/${aliceSession}`;
    for (const id of [kontask.id, "no-such-kontask"]) {
      await expectError("GET", `/api/kontasks/${id}`, { token: bob }, 404);
      await expectError("PATCH", `/api/kontasks/${id}`, { token: bob, body: { title: "mine now" } }, 404);
      await expectError("DELETE", `/api/kontasks/${id}`, { token: bob }, 404);
      await expectError("POST", `/api/kontasks/${id}/choose`, { token: bob, body: { value: "go" } }, 404);
    }
    await expectError("GET", `${session}/turns/${sent.turnId}`, { token: bob }, 404);
    await expectError("POST", `${session}/turns/${sent.turnId}/interrupt`, { token: bob }, 404);
    await expectError("POST", `${session}/reset`, { token: bob }, 404);
    await expectError("GET", `${session}/turns/not-a-turn`, { token: alice }, 404);
    await expectError("POST", "/api/kontasks", { token: bob, body: { title: "x", sessionId: aliceSession } }, 400, /Unknown session/);
    await expectError("PATCH", "/api/users/no-such-user", { token: await h.login(), body: { disabled: true } }, 404);

    expect(await json(await h.call("GET", `/api/kontasks/${kontask.id}`, { token: alice }))).toMatchObject({ title: "alice's" });
    expect((await json<{ messages: unknown[] }>(await h.call("GET", session, { token: alice }))).messages).toHaveLength(2);
    expect(h.konsole.resets).toEqual([]);
    expect(h.konsole.interrupts).toEqual([]);
  });

  it("keeps a kontask as it was when a change is refused", async () => {
    const kontask = await json<Kontask>(await h.call("POST", "/api/kontasks", { token: alice, body: { title: "keep", tags: ["a"] } }));
    await expectError("PATCH", `/api/kontasks/${kontask.id}`, { token: alice, body: { status: "nope", title: "lost?" } }, 400, /status/);
    await expectError("PATCH", `/api/kontasks/${kontask.id}`, { token: alice, ...rawJson("{") }, 400, /Malformed JSON/);
    await expectError("PATCH", `/api/kontasks/${kontask.id}`, { token: alice, body: { tags: "a" } }, 400, /tags/);
    expect(await json(await h.call("GET", `/api/kontasks/${kontask.id}`, { token: alice }))).toEqual(kontask);
  });

  it("answers 400 on a plain GET of the WebSocket route and 404 naming an unknown route", async () => {
    await expectError("GET", "/api/live", { token: alice }, 400, /WebSocket upgrade/);
    await expectError("GET", "/api/nowhere", { token: alice }, 404, /No route for GET \/api\/nowhere/);
  });
});
