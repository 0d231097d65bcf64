// GET /api/usage: cost and tokens of finished turns per UTC day, user and agent.

import type { UsageReport } from "@kon/protocol";
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

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function turn(token: string, sessionId: string, agent = "claude"): Promise<void> {
  const res = await h.call("POST", `/api/agents/${agent}/sessions/${sessionId}/message`, { token, body: { text: "hi" } });
  expect(res.status).toBe(200);
}

const usage = async (token: string, query = "") => {
  const res = await h.call("GET", `/api/usage${query}`, { token });
  expect(res.status).toBe(200);
  return json<UsageReport>(res);
};

describe("GET /api/usage", () => {
  it("groups by day, user and agent; people see their own, admins everyone's", async () => {
    const aliceClaude = await h.newSession(alice);
    const bobClaude = await h.newSession(bob);
    await turn(alice, aliceClaude);
    await turn(alice, aliceClaude);
    await turn(bob, bobClaude);
    const firstDay = dayOf(h.clock.now());
    h.clock.advance(DAY);
    const secondDay = dayOf(h.clock.now());
    // Access tokens do not live a day: log in again.
    alice = await h.login("alice", "alice-password");
    bob = await h.login("bob", "bob-password");
    admin = await h.login();
    await turn(alice, await h.newSession(alice, "reviewer"), "reviewer");

    const mine = await usage(alice);
    expect(mine.until).toBe(secondDay);
    expect(mine.since).toBe(dayOf(h.clock.now() - 29 * DAY));
    expect(mine.rows).toEqual([
      {
        day: firstDay,
        userId: h.userId("alice"),
        username: "alice",
        agent: "claude",
        billing: "api",
        turns: 2,
        costUsd: expect.closeTo(0.0246, 10),
        tokens: { input: 20, output: 40, cacheRead: 60, cacheCreation: 80 },
      },
      expect.objectContaining({ day: secondDay, username: "alice", agent: "reviewer", turns: 1 }),
    ]);

    const everyone = await usage(admin);
    expect(everyone.rows.map((r) => [r.day, r.username, r.agent, r.turns])).toEqual([
      [firstDay, "alice", "claude", 2],
      [firstDay, "bob", "claude", 1],
      [secondDay, "alice", "reviewer", 1],
    ]);
    const onlyFirst = await usage(admin, `?since=${firstDay}&until=${firstDay}`);
    expect(onlyFirst).toMatchObject({ since: firstDay, until: firstDay });
    expect(onlyFirst.rows.map((r) => r.username)).toEqual(["alice", "bob"]);
    expect((await usage(bob)).rows.map((r) => r.username)).toEqual(["bob"]);
  });

  it("refuses bad ranges with 400 and process tokens with 403", async () => {
    for (const query of ["?since=yesterday", "?until=2026-13-01", "?since=2026-02-01&until=2026-01-01", "?since=2020-01-01&until=2026-01-01"]) {
      const res = await h.call("GET", `/api/usage${query}`, { token: alice });
      expect(res.status, query).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: "bad_request" } });
    }
    const sessionId = await h.newSession(alice);
    const processToken = h.services.processTokens.issue({ sessionId, userId: h.userId("alice"), processId: "p" }).token;
    expect((await h.call("GET", "/api/usage", { token: processToken })).status).toBe(403);
    expect((await h.call("GET", "/api/usage")).status).toBe(401);
  });
});
