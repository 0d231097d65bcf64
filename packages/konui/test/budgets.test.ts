// Dollar budgets set by admins, refused turns, the remaining budget on sessions, the spending
// ledger behind /api/usage, and "continue N more turns" after the cap (the fake konsole; the real
// CLI runs in test/budgets-e2e.test.ts).

import type { AgentSession, Budgets, SendMessageAccepted, SendMessageResult, UsageReport } from "@kon/protocol";
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

// Every fake turn costs 0.0123 USD.
const TURN_USD = 0.0123;
const base = "/api/agents/claude";

const putBudgets = (token: string, body: unknown) => h.call("PUT", "/api/budgets", { token, body });
const send = (token: string, sessionId: string) => h.call("POST", `${base}/sessions/${sessionId}/message`, { token, body: { text: "hi" } });
const sessionOf = async (token: string, sessionId: string) => json<AgentSession>(await h.call("GET", `${base}/sessions/${sessionId}`, { token }));

describe("budgets", () => {
  it("are off by default, set by admins only, and refuse bad values naming the field", async () => {
    expect(await json<Budgets>(await h.call("GET", "/api/budgets", { token: alice }))).toEqual({
      turn_usd: null,
      session_usd: null,
      user_day_usd: null,
      user_month_usd: null,
      agent_day_usd: null,
    });
    expect((await putBudgets(alice, { session_usd: 1 })).status).toBe(403);
    for (const body of [{ session_usd: 0 }, { session_usd: -1 }, { session_usd: "1" }, { bogus: 1 }, {}]) {
      const res = await putBudgets(admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: "bad_request" } });
    }
    const set = await json<Budgets>(await putBudgets(admin, { session_usd: 1, user_day_usd: 5 }));
    expect(set).toMatchObject({ session_usd: 1, user_day_usd: 5, turn_usd: null });
    expect(await json<Budgets>(await putBudgets(admin, { session_usd: null }))).toMatchObject({ session_usd: null, user_day_usd: 5 });
  });

  it("passes the tightest budget to konsole, shows what is left on the session, and refuses a turn over it with 402", async () => {
    const sessionId = await h.newSession(alice);
    expect((await sessionOf(alice, sessionId)).budget).toBeNull();
    await putBudgets(admin, { session_usd: 0.02, user_day_usd: 1, turn_usd: 0.5 });

    expect((await send(alice, sessionId)).status).toBe(200);
    expect(h.konsole.requests.at(-1)?.request.budget).toEqual({
      name: "session",
      remainingUsd: 0.02,
      description: "the per-session budget of $0.02 ($0 spent in this session)",
    });
    expect((await sessionOf(alice, sessionId)).budget).toEqual({
      name: "session",
      limitUsd: 0.02,
      spentUsd: TURN_USD,
      remainingUsd: expect.closeTo(0.02 - TURN_USD, 10),
    });

    // 0.0077 left: the next turn runs under what is left; the one after would start over the limit.
    expect((await send(alice, sessionId)).status).toBe(200);
    const refused = await send(alice, sessionId);
    expect(refused.status).toBe(402);
    expect(await json(refused)).toEqual({
      error: {
        code: "budget_exceeded",
        message: "Refused: this turn would start over the per-session budget of $0.02 ($0.0246 spent in this session).",
        details: { budget: "session", limitUsd: 0.02, spentUsd: expect.closeTo(2 * TURN_USD, 10) },
      },
    });
    expect(h.konsole.requests).toHaveLength(2);
    expect((await sessionOf(alice, sessionId)).messageCount).toBe(4);
    // Another session of hers still has the session budget, bob is not counted against her day.
    expect((await send(alice, await h.newSession(alice))).status).toBe(200);
    await putBudgets(admin, { user_day_usd: 0.03 });
    expect((await send(alice, await h.newSession(alice))).status).toBe(402);
    expect((await send(bob, await h.newSession(bob))).status).toBe(200);
  });

  it("counts an agent's day across its users", async () => {
    await putBudgets(admin, { agent_day_usd: 0.02 });
    expect((await send(alice, await h.newSession(alice))).status).toBe(200);
    expect((await send(bob, await h.newSession(bob))).status).toBe(200);
    const refused = await send(bob, await h.newSession(bob));
    expect(refused.status).toBe(402);
    expect((await json<{ error: { message: string } }>(refused)).error.message).toContain("the per-agent daily budget of $0.02 ($0.0246 spent by agent claude today (UTC))");
    const reviewer = await h.newSession(bob, "reviewer");
    expect((await h.call("POST", `/api/agents/reviewer/sessions/${reviewer}/message`, { token: bob, body: { text: "hi" } })).status).toBe(200);
  });
});

describe("the spending ledger", () => {
  it("keeps a deleted session's spending in /api/usage and in the user's budgets", async () => {
    const sessionId = await h.newSession(alice);
    expect((await send(alice, sessionId)).status).toBe(200);
    expect((await h.call("DELETE", `${base}/sessions/${sessionId}`, { token: alice })).status).toBe(204);

    const usage = await json<UsageReport>(await h.call("GET", "/api/usage", { token: alice }));
    expect(usage.rows).toEqual([expect.objectContaining({ username: "alice", agent: "claude", billing: "api", turns: 1, costUsd: TURN_USD })]);
    await putBudgets(admin, { user_month_usd: 0.01 });
    const refused = await send(alice, await h.newSession(alice));
    expect(refused.status).toBe(402);
    expect((await json<{ error: { message: string } }>(refused)).error.message).toContain("per-user monthly budget of $0.01 ($0.0123 spent");
  });
});

describe("continue after the turn limit", () => {
  it("resumes a turn that hit the cap for N more turns, with a prompt to carry on; anything else is refused", async () => {
    const sessionId = await h.newSession(alice);
    h.konsole.script = () => ({ status: "failed", error: { code: "max_turns", message: "Task exceeded turn limit: …" } });
    const capped = await json<SendMessageResult>(await send(alice, sessionId));
    h.konsole.script = (request) => ({ status: "succeeded", reply: `echo: ${request.text}` });
    const continueTurn = (turnId: string, body: unknown, token = alice) =>
      h.call("POST", `${base}/sessions/${sessionId}/turns/${turnId}/continue`, { token, body });

    for (const body of [{}, { maxTurns: 0 }, { maxTurns: 501 }, { maxTurns: "5" }]) {
      expect((await continueTurn(capped.turnId, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await continueTurn(capped.turnId, { maxTurns: 5 }, bob)).status).toBe(404);
    const accepted = await continueTurn(capped.turnId, { maxTurns: 5 });
    expect(accepted.status).toBe(202);
    const started = await json<SendMessageAccepted>(accepted);
    expect(started.userMessage.text).toContain("you have 5 more turns");
    expect(h.konsole.requests.at(-1)?.request).toMatchObject({ maxTurns: 5, mode: "hot", text: started.userMessage.text });
    await h.services.sender.wait(started.turnId, 30_000);

    // A turn that did not fail on its limit, or whose conversation has moved on, cannot be continued.
    const continued = await continueTurn(started.turnId, { maxTurns: 5 });
    expect(continued.status).toBe(409);
    expect(await continueTurn(capped.turnId, { maxTurns: 5 }).then((res) => res.status)).toBe(202);
    await h.call("POST", `${base}/sessions/${sessionId}/reset`, { token: alice });
    expect((await continueTurn(capped.turnId, { maxTurns: 5 })).status).toBe(409);
    expect((await continueTurn("00000000-0000-4000-8000-000000000000", { maxTurns: 5 })).status).toBe(404);
  });
});
