import type { Decision, DecisionPage, DashboardServerFrame, Inbox, PermissionRequest, PolicyVerdict } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KonsoleConsumer } from "../src/konsole/consumer.ts";
import { consumerOf, until } from "./support/consumer-setup.ts";
import { createHarness, json, type Harness } from "./support/harness.ts";
import { KonsoleWsStub } from "./support/konsole-ws-stub.ts";

let h: Harness;
let stub: KonsoleWsStub;
let consumer: KonsoleConsumer;
let admin: string;
let alice: string;
let bob: string;
let sessionId: string;
let turnId: string;
const frames: { userId: string; frame: DashboardServerFrame }[] = [];

const bashRequest = (requestId: string, command = "touch a.txt", verdict: PermissionRequest["verdict"] = { decision: "ask", rule: null }): PermissionRequest => ({
  requestId,
  toolName: "Bash",
  toolUseId: `toolu_${requestId}`,
  input: { command, description: "make a file" },
  suggestions: [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: command }], behavior: "allow", destination: "localSettings" }],
  reason: null,
  verdict,
  cwd: "/w",
});

beforeEach(async () => {
  h = await createHarness();
  stub = await KonsoleWsStub.start();
  admin = await h.login();
  alice = await h.userToken("alice");
  bob = await h.userToken("bob");
  sessionId = await h.newSession(alice);
  h.konsole.script = () => ({ status: "succeeded", hold: true });
  const sent = await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, { token: alice, body: { text: "go" } });
  turnId = (await json<{ turnId: string }>(sent)).turnId;
  frames.length = 0;
  for (const who of ["alice", "bob"]) {
    h.services.hub.add({ userId: h.userId(who), jti: who, isAdmin: false, send: (frame) => frames.push({ userId: who, frame }), end: () => {} });
  }
  consumer = consumerOf(h, stub);
  consumer.start();
  await until(() => consumer.subscribed, "subscribe");
});
afterEach(async () => {
  h.services.decisions.stop();
  await consumer.stop();
  await stub.close();
  h.close();
});

/** Journals the request on the konsole stub and waits for the pending decision konui makes of it. */
async function asked(request: PermissionRequest): Promise<Decision> {
  stub.append(turnId, sessionId, { type: "permission", request });
  const rowOf = () => h.services.decisionStore.pending().find((row) => row.requestId === request.requestId);
  await until(() => rowOf() !== undefined, "the decision");
  return json<Decision>(await h.call("GET", `/api/decisions/${rowOf()?.id}`, { token: alice }));
}

/** `konui_decisions_pending` for the claude agent's tool calls, as Prometheus would scrape it. */
const pendingGauge = async (): Promise<number> => {
  const text = await h.services.metrics.metrics();
  const line = text.split("\n").find((l) => l.startsWith('konui_decisions_pending{agent="claude",kind="tool"}'));
  return line ? Number(line.split(" ").at(-1)) : 0;
};

const answer = (id: string, body: unknown, token: string) => h.call("POST", `/api/decisions/${id}/answer`, { token, body });

describe("decisions in konui", () => {
  it("records a pending decision from konsole's journal, visible to the owner and sent to her live", async () => {
    const decision = await asked(bashRequest("r1"));
    expect(decision).toMatchObject({ kind: "tool", status: "pending", agent: "claude", sessionId, turnId, userId: h.userId("alice"), toolName: "Bash", decidedBy: null });
    expect(Date.parse(decision.expiresAt) - Date.parse(decision.createdAt)).toBe(600_000);
    await until(() => frames.some((f) => f.userId === "alice" && f.frame.type === "decision"), "alice's frame");
    expect(frames.filter((f) => f.userId === "bob")).toEqual([]);
    const inbox = await json<Inbox>(await h.call("GET", "/api/inbox", { token: alice }));
    expect(inbox.items.map((item) => item.kind === "decision" && item.decision.id)).toEqual([decision.id]);
    expect((await json<Inbox>(await h.call("GET", "/api/inbox", { token: bob }))).count).toBe(0);
    stub.resend(stub.journal.at(-1) as never);
    expect((await json<DecisionPage>(await h.call("GET", "/api/decisions", { token: admin }))).decisions).toHaveLength(1);
  });

  it("another user's decision does not exist for them, and a process token cannot answer", async () => {
    const decision = await asked(bashRequest("r2"));
    expect((await h.call("GET", `/api/decisions/${decision.id}`, { token: bob })).status).toBe(404);
    expect((await answer(decision.id, { behavior: "allow" }, bob)).status).toBe(404);
    const issued = h.services.processTokens.issue({ sessionId, userId: h.userId("alice"), processId: "p1", ttlSec: 60 });
    expect((await answer(decision.id, { behavior: "allow" }, issued.token)).status).toBe(403);
    expect((await h.call("GET", "/api/inbox", { token: issued.token })).status).toBe(403);
    expect(h.konsole.answers).toEqual([]);
  });

  it("two approvers answering at once: exactly one answer is applied, the other gets 409 with the decision", async () => {
    const decision = await asked(bashRequest("r3"));
    expect(await pendingGauge()).toBe(1);
    const [first, second] = await Promise.all([answer(decision.id, { behavior: "allow" }, alice), answer(decision.id, { behavior: "deny", message: "no" }, admin)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    const body = await json<{ error: { code: string; details: { decision: Decision } } }>(loser);
    expect(body.error.code).toBe("conflict");
    expect(["allowed", "denied"]).toContain(body.error.details.decision.status);
    expect(h.konsole.answers).toHaveLength(1);
    expect(await pendingGauge()).toBe(0);
  });

  it("an approver named in the agent's policy may answer; always allow keeps the rule for the session's next turns", async () => {
    expect((await h.call("PUT", "/api/agents/claude/policy", { token: alice, body: { approvers: ["bob"] } })).status).toBe(403);
    expect((await h.call("PUT", "/api/agents/claude/policy", { token: admin, body: { approvers: ["nobody"] } })).status).toBe(400);
    expect((await h.call("PUT", "/api/agents/claude/policy", { token: admin, body: { approvers: ["bob"] } })).status).toBe(200);
    const decision = await asked(bashRequest("r4"));
    const res = await answer(decision.id, { behavior: "allow", alwaysAllow: true }, bob);
    expect(res.status).toBe(200);
    expect(await json<Decision>(res)).toMatchObject({ status: "allowed", answeredBy: { username: "bob" }, answer: { alwaysAllow: true } });
    expect(h.konsole.answers[0]?.answer).toEqual({
      behavior: "allow",
      updatedPermissions: [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "touch a.txt" }], behavior: "allow", destination: "session" }],
    });
    await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, { token: alice, body: { text: "again" } });
    expect(h.konsole.requests.at(-1)?.request.permissions).toEqual({ allow: ["Bash(touch a.txt)"], deny: [], ask: true });
  });

  it("questions are answered per question; decisions the policy made are recorded as such", async () => {
    const question: PermissionRequest = {
      ...bashRequest("q1"),
      toolName: "AskUserQuestion",
      input: { questions: [{ question: "Which color?", options: [{ label: "Red" }, { label: "Blue" }] }] },
    };
    const decision = await asked(question);
    expect(decision).toMatchObject({ kind: "question", questions: [{ question: "Which color?" }] });
    expect((await answer(decision.id, { behavior: "allow" }, alice)).status).toBe(400);
    expect((await answer(decision.id, { behavior: "answer", answers: { "Which shape?": "Round" } }, alice)).status).toBe(400);
    expect((await answer(decision.id, { behavior: "answer", answers: { "Which color?": "Blue" } }, alice)).status).toBe(200);
    expect(h.konsole.answers[0]?.answer).toEqual({ behavior: "allow", updatedInput: { ...question.input, answers: { "Which color?": "Blue" } } });

    stub.append(turnId, sessionId, { type: "permission", request: bashRequest("p1", "rm x", { decision: "deny", rule: "Bash(rm:*)" }) });
    await until(() => frames.some((f) => f.frame.type === "decision" && f.frame.decision.status === "denied"), "the policy decision");
    const page = await json<DecisionPage>(await h.call("GET", "/api/decisions?status=denied", { token: alice }));
    expect(page.decisions[0]).toMatchObject({ decidedBy: "policy", answer: { rule: "Bash(rm:*)", message: "Denied by this agent's policy (Bash(rm:*))." } });
  });

  it("a turn that ends cancels what still waits; konsole no longer waiting turns an answer into a cancel", async () => {
    const first = await asked(bashRequest("c1"));
    h.konsole.permissionWaiting = () => false;
    const late = await answer(first.id, { behavior: "allow" }, alice);
    expect(late.status).toBe(409);
    expect((await json<{ error: { details: { decision: Decision } } }>(late)).error.details.decision.status).toBe("cancelled");

    const second = await asked(bashRequest("c2"));
    const turn = h.konsole.finish(turnId, { status: "succeeded", reply: "done" });
    stub.append(turnId, sessionId, { type: "turn", turn });
    await until(() => h.services.decisionStore.find(second.id)?.status === "cancelled", "the cancel");
  });

  it("expires what nobody answered, also across a restart, and the dry-run says what rules decide", async () => {
    const decision = await asked(bashRequest("e1"));
    h.services.decisions.stop();
    h.clock.advance(601_000);
    h.services.decisions.start();
    await until(() => h.services.decisionStore.find(decision.id)?.status === "expired", "the expiry");
    expect(h.konsole.answers.at(-1)?.answer).toEqual({ behavior: "deny", message: "Nobody answered this request within 600 seconds, so it was denied automatically.", interrupt: false });

    await h.call("PUT", "/api/agents/claude/policy", { token: admin, body: { allow: ["Bash(git status:*)"], deny: ["Bash(rm:*)"] } });
    const dry = async (command: string) =>
      json<PolicyVerdict>(await h.call("POST", "/api/agents/claude/policy/dry-run", { token: alice, body: { toolName: "Bash", input: { command } } }));
    expect(await dry("git status --short")).toEqual({ decision: "allow", rule: "Bash(git status:*)" });
    expect(await dry("rm -rf /")).toEqual({ decision: "deny", rule: "Bash(rm:*)" });
    expect(await dry("make")).toEqual({ decision: "ask", rule: null });
  });
});
