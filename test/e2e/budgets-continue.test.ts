// Budgets and "continue N more turns" across konui, konsole and the real `claude` CLI against
// the Messages API stand-in (which reports the usage the test picks for each reply): a turn
// refused before it starts, a turn stopped when its spending passes its budget, the spending
// ledger outliving a deleted session, and a turn that hit its cap continued in the same
// conversation under the new cap.

import type { AgentSession, Message, SendMessageAccepted, UsageReport } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationRequests, noopBash, textReply, toolUseReply, userPrompts, type Scenario } from "../support/messages-api.ts";
import { eventually, startStack, type Stack } from "./stack.ts";

let stack: Stack;

/** Every reply reports this much usage, so a turn costs real (stand-in) money. */
const usage = { input_tokens: 2_000, output_tokens: 4_000 };

/** "loop" and the continuation prompt ask for Bash forever; everything else is one text reply. */
const scenario: Scenario = (request) => {
  const last = userPrompts(request).at(-1) ?? "";
  if (/loop|carry on/i.test(last)) return toolUseReply("Bash", { ...noopBash }, { usage });
  return textReply("OK", { usage });
};

beforeAll(async () => {
  stack = await startStack({ scenario: () => scenario });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const base = "/api/agents/claude";
const setBudgets = async (budgets: Record<string, number | null>) => expect((await stack.call("PUT", "/api/budgets", budgets)).status).toBe(200);
const turnsInKonsole = async (sessionId: string) =>
  (await stack.callKonsole<{ turns: unknown[] }>("GET", `/sessions/${sessionId}/turns`)).body.turns.length;

async function waitForAssistant(sessionId: string, turnId: string): Promise<Message> {
  return eventually("the continued turn's reply", async () => {
    const res = await stack.call<{ messages: Message[] }>("GET", `${base}/sessions/${sessionId}`);
    return res.body.messages.find((message) => message.turnId === turnId && message.role === "assistant");
  }, 180_000);
}

describe("budgets with the real CLI", () => {
  let oneReplyUsd = 0;

  it("refuses a turn that would start over the session's budget, naming it and what was spent; konsole never sees it", async () => {
    await setBudgets({ session_usd: null, turn_usd: null });
    const sessionId = await stack.newSession();
    const first = (await stack.send(sessionId, "hello")).message;
    expect(first.status).toBe("complete");
    oneReplyUsd = first.costUsd ?? 0;
    expect(oneReplyUsd).toBeGreaterThan(0);

    await setBudgets({ session_usd: oneReplyUsd / 2 });
    const session = (await stack.call<AgentSession>("GET", `${base}/sessions/${sessionId}`)).body;
    expect(session.budget).toMatchObject({ name: "session", spentUsd: oneReplyUsd, remainingUsd: 0 });
    const refused = await stack.call<{ error: { code: string; message: string; details: unknown } }>("POST", `${base}/sessions/${sessionId}/message`, {
      text: "hello again",
    });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: "budget_exceeded", details: { budget: "session", spentUsd: oneReplyUsd } });
    expect(refused.body.error.message).toMatch(/^Refused: this turn would start over the per-session budget of \$[\d.]+ \(\$[\d.]+ spent in this session\)\.$/);
    expect(await turnsInKonsole(sessionId)).toBe(1);
    await setBudgets({ session_usd: null });
  }, 240_000);

  it("stops a running turn once what it spent passes its budget, and says which budget stopped it", async () => {
    // Room for two and a half replies: the loop's third reply crosses the line.
    await setBudgets({ turn_usd: oneReplyUsd * 2.5 });
    const sessionId = await stack.newSession();
    const stopped = (await stack.send(sessionId, "loop until told to stop")).message;
    expect(stopped.status).toBe("failed");
    expect(stopped.error?.code).toBe("budget_exceeded");
    expect(stopped.error?.message).toMatch(/^Turn stopped by the per-turn budget of \$[\d.]+: \$[\d.]+ was left for it\.$/);
    // It ran until the line, not to its turn limit (50).
    expect(stopped.costUsd ?? 0).toBeGreaterThanOrEqual(oneReplyUsd * 2.5);
    expect(stopped.costUsd ?? 0).toBeLessThan(oneReplyUsd * 6);
    await setBudgets({ turn_usd: null });
  }, 240_000);

  it("keeps a deleted session's spending in /api/usage, billed to the API key", async () => {
    const sessionId = await stack.newSession();
    const reply = (await stack.send(sessionId, "hello")).message;
    const before = (await stack.call<UsageReport>("GET", "/api/usage")).body.rows;
    expect((await stack.call("DELETE", `${base}/sessions/${sessionId}`)).status).toBe(204);
    const after = (await stack.call<UsageReport>("GET", "/api/usage")).body.rows;
    expect(after).toEqual(before);
    expect(after).toEqual([expect.objectContaining({ username: "admin", agent: "claude", billing: "api" })]);
    expect(after[0]?.costUsd ?? 0).toBeGreaterThanOrEqual(reply.costUsd ?? 0);
  }, 240_000);
});

describe("continue after the turn limit with the real CLI", () => {
  it("resumes the same Claude conversation with --max-turns N and a prompt to carry on", async () => {
    expect((await stack.call("PUT", `${base}/guardrails`, { max_turns_task: 2 })).status).toBe(200);
    const sessionId = await stack.newSession();
    const capped = await stack.send(sessionId, "loop until told to stop");
    expect(capped.message.error?.code).toBe("max_turns");

    const accepted = await stack.call<SendMessageAccepted>("POST", `${base}/sessions/${sessionId}/turns/${capped.turnId}/continue`, { maxTurns: 3 });
    expect(accepted.status).toBe(202);
    expect(accepted.body.userMessage.text).toMatch(/^You ran out of turns before finishing\. Carry on .* you have 3 more turns/);
    const continued = await waitForAssistant(sessionId, accepted.body.turnId);
    // The agent keeps looping: the new cap is what stops it, in the same conversation.
    expect(continued.error?.message).toBe(
      "Task exceeded turn limit: Reached maximum number of turns (3). Consider increasing max_turns_task in guardrails or breaking into smaller subtasks.",
    );
    expect(continued.claudeSessionId).toBe(capped.message.claudeSessionId);
    // The continuation's requests carry the capped turn's prompt: it resumed that conversation.
    const lastRequest = conversationRequests(stack.api.requests).at(-1);
    const prompts = lastRequest ? userPrompts(lastRequest) : [];
    expect(prompts).toEqual(expect.arrayContaining(["loop until told to stop", accepted.body.userMessage.text]));
    expect((await stack.call("PUT", `${base}/guardrails`, { max_turns_task: 50 })).status).toBe(200);
  }, 240_000);
});
