import type { Kontask, KontaskPage } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminAliceBob, createHarness, json, SERVICE_TOKEN, type Harness } from "./support/harness.ts";

let h: Harness;
let admin: string;
let alice: string;
let bob: string;
beforeEach(async () => {
  h = await createHarness();
  ({ admin, alice, bob } = await adminAliceBob(h));
});
afterEach(() => h.close());

async function create(token: string, body: Record<string, unknown>): Promise<Kontask> {
  const res = await h.call("POST", "/api/kontasks", { token, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<Kontask>(res);
}
const list = async (token: string, query = "") => json<KontaskPage>(await h.call("GET", `/api/kontasks${query}`, { token }));

describe("kontasks", () => {
  it("stores every field, HTML exactly as given, and reads it back", async () => {
    const html = `<div onclick="alert(1)"><script>x()</script>Done</div>`;
    const created = await create(alice, {
      type: "review",
      title: "PR review",
      description: "looked at it",
      context: {
        output: html,
        choices: [{ label: "Merge", value: "merge it", primary: true }, { label: "Wait", value: "wait" }],
        turnTiming: { totalMs: 1200, ttfeMs: 80, thinkingMs: 900, toolExecutionMs: 300, toolCallCount: 2, extra: 1 },
        requestId: "req-1",
      },
      scope: "repo",
      tags: ["pr", "urgent"],
      targetUser: "bob",
    });
    expect(created).toMatchObject({ type: "review", status: "pending", createdBy: "alice", targetUser: "bob", tags: ["pr", "urgent"] });
    expect(created.context.output).toBe(html);
    expect(created.context.choices?.[1]).toEqual({ label: "Wait", value: "wait", primary: false });
    const res = await h.call("GET", `/api/kontasks/${created.id}`, { token: alice });
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await json(res)).toEqual(created);
  });

  it("validates input, naming the field", async () => {
    const res = await h.call("POST", "/api/kontasks", { token: alice, body: { title: "x", status: "weird" } });
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain("status");
    expect((await h.call("POST", "/api/kontasks", { token: alice, body: {} })).status).toBe(400);
    expect((await h.call("POST", "/api/kontasks", { token: alice, body: { title: "x", sessionId: "nope" } })).status).toBe(400);
    expect((await h.call("PATCH", "/api/kontasks/x", { token: alice, body: {} })).status).toBe(400);
  });

  it("refuses a targetUser who does not exist, on create and on update, naming the field", async () => {
    const refused = await h.call("POST", "/api/kontasks", { token: alice, body: { title: "x", targetUser: "nobody" } });
    expect(refused.status).toBe(400);
    const body = await json<{ error: { code: string; message: string; details: { fields: { path: string }[] } } }>(refused);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain("targetUser");
    expect(body.error.details.fields.map((f) => f.path)).toEqual(["targetUser"]);
    expect((await list(admin)).kontasks).toHaveLength(0);

    const k = await create(alice, { title: "t", targetUser: "bob" });
    const update = await h.call("PATCH", `/api/kontasks/${k.id}`, { token: alice, body: { targetUser: "nobody" } });
    expect(update.status).toBe(400);
    expect((await json<{ error: { message: string } }>(update)).error.message).toContain("targetUser");
    expect((await json<Kontask>(await h.call("GET", `/api/kontasks/${k.id}`, { token: alice }))).targetUser).toBe("bob");
    expect((await h.call("PATCH", `/api/kontasks/${k.id}`, { token: alice, body: { targetUser: null } })).status).toBe(200);
  });

  it("lists newest first with filters and pagination", async () => {
    for (let i = 0; i < 5; i++) {
      await create(alice, { title: `t${i}`, type: i % 2 ? "odd" : "even", tags: i === 3 ? ["x"] : [], scope: "s" });
      h.clock.advance(1000);
    }
    const since = new Date(h.clock.now() - 2500).toISOString();
    expect((await list(alice)).kontasks.map((k) => k.title)).toEqual(["t4", "t3", "t2", "t1", "t0"]);
    expect((await list(alice, "?type=odd")).kontasks.map((k) => k.title)).toEqual(["t3", "t1"]);
    expect((await list(alice, "?tag=x")).kontasks.map((k) => k.title)).toEqual(["t3"]);
    expect((await list(alice, `?since=${since}`)).kontasks.map((k) => k.title)).toEqual(["t4", "t3"]);
    expect((await list(alice, "?createdBy=alice&status=pending&scope=s")).kontasks).toHaveLength(5);
    const first = await list(alice, "?limit=2");
    expect(first.kontasks.map((k) => k.title)).toEqual(["t4", "t3"]);
    const second = await list(alice, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.kontasks.map((k) => k.title)).toEqual(["t2", "t1"]);
    const third = await list(alice, `?limit=2&cursor=${second.nextCursor}`);
    expect(third).toMatchObject({ nextCursor: null });
    expect(third.kontasks.map((k) => k.title)).toEqual(["t0"]);
    expect((await h.call("GET", "/api/kontasks?limit=0", { token: alice })).status).toBe(400);
    expect((await h.call("GET", "/api/kontasks?since=yesterday", { token: alice })).status).toBe(400);
    expect((await h.call("GET", "/api/kontasks?cursor=garbage", { token: alice })).status).toBe(400);
  });

  it("filters by session", async () => {
    const session = await h.newSession(alice);
    await create(alice, { title: "in session", sessionId: session });
    await create(alice, { title: "loose" });
    expect((await list(alice, `?session=${session}`)).kontasks.map((k) => k.title)).toEqual(["in session"]);
  });

  it("shows users their own and those aimed at them; admins everything", async () => {
    const mine = await create(alice, { title: "alice's" });
    await create(alice, { title: "for bob", targetUser: "bob" });
    expect((await list(bob)).kontasks.map((k) => k.title)).toEqual(["for bob"]);
    expect((await h.call("GET", `/api/kontasks/${mine.id}`, { token: bob })).status).toBe(404);
    expect((await list(admin)).kontasks).toHaveLength(2);
  });

  it("updates (merging context) for the owner; others get 403/404", async () => {
    const k = await create(alice, { title: "t", targetUser: "bob", context: { output: "<p>1</p>", requestId: "r" } });
    const res = await h.call("PATCH", `/api/kontasks/${k.id}`, {
      token: alice,
      body: { status: "completed", context: { output: "<p>2</p>" }, tags: ["done"] },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: "completed", tags: ["done"], context: { output: "<p>2</p>", requestId: "r" } });
    expect((await h.call("PATCH", `/api/kontasks/${k.id}`, { token: bob, body: { status: "failed" } })).status).toBe(403);
    expect((await h.call("PATCH", `/api/kontasks/${k.id}`, { token: admin, body: { status: "failed" } })).status).toBe(200);
    expect((await h.call("PATCH", "/api/kontasks/nope", { token: alice, body: { status: "failed" } })).status).toBe(404);
  });

  it("deletes for the owner or an admin only", async () => {
    const a = await create(alice, { title: "a", targetUser: "bob" });
    expect((await h.call("DELETE", `/api/kontasks/${a.id}`, { token: bob })).status).toBe(403);
    expect((await h.call("DELETE", `/api/kontasks/${a.id}`, { token: alice })).status).toBe(204);
    expect((await h.call("GET", `/api/kontasks/${a.id}`, { token: alice })).status).toBe(404);
    const b = await create(alice, { title: "b" });
    expect((await h.call("DELETE", `/api/kontasks/${b.id}`, { token: admin })).status).toBe(204);
  });

  it("sends a picked choice as the next message of the session that created the kontask", async () => {
    const session = await h.newSession(alice);
    const aliceId = h.services.users.findByUsername("alice")?.id;
    const issued = await json<{ token: string }>(
      await h.call("POST", "/internal/process-tokens", { token: SERVICE_TOKEN, body: { sessionId: session, userId: aliceId, processId: "p" } }),
    );
    const k = await create(issued.token, {
      title: "Which way?",
      context: { choices: [{ label: "Left", value: "go left" }, { label: "Right", value: "go right", primary: true }] },
    });
    expect((await h.call("POST", `/api/kontasks/${k.id}/choose`, { token: alice, body: { value: "go up" } })).status).toBe(400);
    expect((await h.call("POST", `/api/kontasks/${k.id}/choose`, { token: bob, body: { value: "go left" } })).status).toBe(404);
    const res = await h.call("POST", `/api/kontasks/${k.id}/choose`, { token: alice, body: { value: "go left" } });
    expect(res.status).toBe(202);
    expect(h.konsole.requests.at(-1)).toMatchObject({ sessionId: session, request: { text: "go left", mode: "hot" } });
    const { turnId } = await json<{ turnId: string }>(res);
    // The turn's outcome arrives through konsole's journal, after the 202.
    const readTurn = async () => json(await h.call("GET", `/api/agents/claude/sessions/${session}/turns/${turnId}`, { token: alice }));
    await expect.poll(readTurn, { timeout: 60_000 }).toMatchObject({ status: "succeeded", userMessage: { text: "go left" } });

    const loose = await create(alice, { title: "loose", context: { choices: [{ label: "A", value: "a" }] } });
    expect((await h.call("POST", `/api/kontasks/${loose.id}/choose`, { token: alice, body: { value: "a" } })).status).toBe(409);
  });
});
