// Decisions across both services with the real `claude` CLI: a Bash call outside the agent's
// allowed tools is asked of konsole, becomes a pending decision in konui (API and live socket),
// and whatever a person, the policy or the timeout decides is what the agent sees.

import { existsSync } from "node:fs";
import path from "node:path";
import { parseConfig, start as startKonsole, type RunningKonsole } from "@kon/konsole";
import { processGroupAlive } from "@kon/konsole/claude/process-group";
import { loadConfig, start as startKonui, type RunningKonui } from "@kon/konui";
import { createLogger } from "@kon/konui/logger";
import type { AgentPolicy, AgentTurn, Decision, DecisionPage, KonsoleSession, PolicyVerdict, SendMessageAccepted, Turn } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardStream } from "../support/dashboard-stream.ts";
import {
  allToolResults,
  conversationRequests,
  textReply,
  toolResultsOf,
  toolUseReply,
  typedText,
  userPrompts,
  type Scenario,
  type ToolResult,
} from "../support/messages-api.ts";
import { ADMIN_PASSWORD, eventually, startStack, type Stack } from "./stack.ts";

const touch = (file: string) => ({ command: `touch ${file}`, description: "make a file" });

/** "make F" touches F once, "twice F" twice (a call per model request); then the results are quoted back. */
const scenario: Scenario = (request) => {
  const match = /^(make|twice) (\S+)/.exec(userPrompts(request).at(-1) ?? "");
  if (!match) return textReply("OK");
  const promptAt = request.messages.findLastIndex((message) => message.role === "user" && typedText(message).length > 0);
  const results = request.messages.slice(promptAt + 1).flatMap((message) => (message.role === "user" ? toolResultsOf(message) : []));
  if (results.length < (match[1] === "twice" ? 2 : 1)) return toolUseReply("Bash", touch(match[2] ?? "x"));
  return textReply(`Done: ${results.map((result) => result.text).join(" | ")}`);
};

let stack: Stack;
let konuiNow: RunningKonui | undefined;
let konsoleNow: RunningKonsole | undefined;

beforeAll(async () => {
  // Bash is not among the allowed tools, so the CLI asks before a command that writes.
  stack = await startStack({ scenario: () => scenario, konsoleEnv: { KONSOLE_ALLOWED_TOOLS: "Read Glob Grep" } });
}, 240_000);

afterAll(async () => {
  await konsoleNow?.stop();
  await konuiNow?.stop();
  await stack?.stop();
});

async function sendAsync(sessionId: string, text: string): Promise<string> {
  const res = await stack.call<SendMessageAccepted>("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, { text });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.turnId;
}

function decisionsOf(sessionId: string, status?: string): Promise<Decision[]> {
  const query = new URLSearchParams({ sessionId, ...(status ? { status } : {}) });
  return stack.call<DecisionPage>("GET", `/api/decisions?${query}`).then((res) => res.body.decisions);
}

const pendingDecision = (sessionId: string): Promise<Decision> =>
  eventually("a pending decision", async () => (await decisionsOf(sessionId, "pending"))[0], 120_000);

const finishedTurn = (sessionId: string, turnId: string): Promise<AgentTurn> =>
  eventually(
    "the turn to finish",
    async () => {
      const res = await stack.call<AgentTurn>("GET", `/api/agents/claude/sessions/${sessionId}/turns/${turnId}`);
      return res.body.status === "succeeded" || res.body.status === "failed" ? res.body : undefined;
    },
    180_000,
  );

const answer = (id: string, body: unknown, bearer?: string) => stack.call<Decision>("POST", `/api/decisions/${id}/answer`, body, bearer);

async function workspaceOf(sessionId: string): Promise<string> {
  return (await stack.callKonsole<KonsoleSession>("GET", `/sessions/${sessionId}`)).body.cwd;
}

function lastToolResults(): ToolResult[] {
  const last = conversationRequests(stack.api.requests).at(-1);
  return last ? allToolResults(last) : [];
}

async function setPolicy(change: Partial<AgentPolicy>): Promise<void> {
  const res = await stack.call("PUT", "/api/agents/claude/policy", change);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe("decisions, end to end", () => {
  it("asks through the API and the live socket; allow with edited input runs the edited command", async () => {
    const live = await DashboardStream.open(stack.konui.url, stack.token);
    const sessionId = await stack.newSession();
    const turnId = await sendAsync(sessionId, "make asked.txt");
    const pending = await pendingDecision(sessionId);
    expect(pending).toMatchObject({ kind: "tool", status: "pending", toolName: "Bash", input: touch("asked.txt"), turnId, decidedBy: null });
    await live.until((f) => f.type === "decision" && f.action === "created" && f.decision.id === pending.id);

    const res = await answer(pending.id, { behavior: "allow", updatedInput: touch("edited.txt") });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "allowed", decidedBy: "person", answeredBy: { username: "admin" }, answer: { behavior: "allow", updatedInput: touch("edited.txt") } });
    await live.until((f) => f.type === "decision" && f.action === "updated" && f.decision.id === pending.id && f.decision.status === "allowed");
    expect((await finishedTurn(sessionId, turnId)).status).toBe("succeeded");
    const cwd = await workspaceOf(sessionId);
    expect(existsSync(path.join(cwd, "edited.txt"))).toBe(true);
    expect(existsSync(path.join(cwd, "asked.txt"))).toBe(false);
    live.close();
  }, 300_000);

  it("a denial with a message is what the agent's next model request carries", async () => {
    const sessionId = await stack.newSession();
    const turnId = await sendAsync(sessionId, "make denied.txt");
    const pending = await pendingDecision(sessionId);
    const res = await answer(pending.id, { behavior: "deny", message: "Not in this repo, please" });
    expect(res.body).toMatchObject({ status: "denied", answer: { behavior: "deny", message: "Not in this repo, please" } });
    expect((await finishedTurn(sessionId, turnId)).status).toBe("succeeded");
    expect(lastToolResults()).toContainEqual(expect.objectContaining({ text: "Not in this repo, please", isError: true }));
    expect(existsSync(path.join(await workspaceOf(sessionId), "denied.txt"))).toBe(false);
  }, 300_000);

  it("always allow: the next identical call is not asked, in this turn or the next", async () => {
    const sessionId = await stack.newSession();
    const turnId = await sendAsync(sessionId, "twice always.txt");
    const pending = await pendingDecision(sessionId);
    expect((await answer(pending.id, { behavior: "allow", alwaysAllow: true })).body).toMatchObject({ status: "allowed", answer: { alwaysAllow: true } });
    expect((await finishedTurn(sessionId, turnId)).status).toBe("succeeded");
    expect(lastToolResults().filter((r) => !r.isError)).toHaveLength(2);

    const next = await sendAsync(sessionId, "make always.txt");
    expect((await finishedTurn(sessionId, next)).status).toBe("succeeded");
    const all = await decisionsOf(sessionId);
    expect(all.filter((d) => d.decidedBy === "person")).toHaveLength(1);
    expect(all.filter((d) => d.status === "pending")).toHaveLength(0);
  }, 300_000);

  it("the policy allows and denies unasked, as its dry-run says", async () => {
    await setPolicy({ allow: ["Bash(touch policy-ok.txt)"], deny: ["Bash(touch policy-no.txt)"] });
    try {
      const dry = (toolName: string, input: Record<string, unknown>) =>
        stack.call<PolicyVerdict>("POST", "/api/agents/claude/policy/dry-run", { toolName, input }).then((r) => r.body);
      expect(await dry("Bash", touch("policy-ok.txt"))).toEqual({ decision: "allow", rule: "Bash(touch policy-ok.txt)" });
      expect(await dry("Bash", touch("policy-no.txt"))).toEqual({ decision: "deny", rule: "Bash(touch policy-no.txt)" });

      const sessionId = await stack.newSession();
      expect((await finishedTurn(sessionId, await sendAsync(sessionId, "make policy-ok.txt"))).status).toBe("succeeded");
      expect((await finishedTurn(sessionId, await sendAsync(sessionId, "make policy-no.txt"))).status).toBe("succeeded");
      expect(lastToolResults()).toContainEqual(expect.objectContaining({ text: "Denied by this agent's policy (Bash(touch policy-no.txt)).", isError: true }));
      const byPolicy = await eventually("both policy decisions", async () => {
        const found = (await decisionsOf(sessionId)).filter((d) => d.decidedBy === "policy");
        return found.length === 2 ? found : undefined;
      });
      expect(byPolicy.map((d) => [d.status, d.answer?.rule]).sort()).toEqual([
        ["allowed", "Bash(touch policy-ok.txt)"],
        ["denied", "Bash(touch policy-no.txt)"],
      ]);
      const cwd = await workspaceOf(sessionId);
      expect(existsSync(path.join(cwd, "policy-ok.txt"))).toBe(true);
      expect(existsSync(path.join(cwd, "policy-no.txt"))).toBe(false);
    } finally {
      await setPolicy({ allow: [], deny: [] });
    }
  }, 300_000);

  it("unanswered past the policy's timeout: denied as expired, and the turn goes on", async () => {
    await setPolicy({ timeoutSec: 10 });
    try {
      const sessionId = await stack.newSession();
      const turnId = await sendAsync(sessionId, "make late.txt");
      const pending = await pendingDecision(sessionId);
      const expired = await eventually(
        "the decision to expire",
        async () => {
          const current = (await stack.call<Decision>("GET", `/api/decisions/${pending.id}`)).body;
          return current.status === "pending" ? undefined : current;
        },
        120_000,
      );
      expect(expired).toMatchObject({ status: "expired", decidedBy: "timeout", answer: { behavior: "deny" } });
      expect((await finishedTurn(sessionId, turnId)).status).toBe("succeeded");
      expect(lastToolResults()).toContainEqual(expect.objectContaining({ isError: true, text: expect.stringContaining("Nobody answered this request within 10 seconds") }));
      expect((await answer(pending.id, { behavior: "allow" })).status).toBe(409);
    } finally {
      await setPolicy({ timeoutSec: 600 });
    }
  }, 300_000);

  it("a decision pending while konui restarts is still pending and answerable afterwards", async () => {
    const sessionId = await stack.newSession();
    const turnId = await sendAsync(sessionId, "make after-restart.txt");
    const pending = await pendingDecision(sessionId);
    const port = stack.konui.port;
    await stack.konui.stop();
    konuiNow = await startKonui(
      loadConfig({
        KONUI_PORT: String(port),
        KONUI_DATA_DIR: path.join(stack.home.root, "konui"),
        KONSOLE_URL: stack.konsole.url,
        KONSOLE_SERVICE_TOKEN: stack.serviceToken,
        ADMIN_PASSWORD,
        LOG_LEVEL: "silent",
      }),
      { logger: createLogger("silent"), print: () => {} },
    );
    // The client's kept-alive connections to the old konui are dead: the first calls may fail on them.
    const afterRestart = await eventually("konui to answer again", () =>
      stack.call<Decision>("GET", `/api/decisions/${pending.id}`).then((res) => res.body, () => undefined),
    );
    expect(afterRestart.status).toBe("pending");
    expect((await answer(pending.id, { behavior: "allow" })).status).toBe(200);
    expect((await finishedTurn(sessionId, turnId)).status).toBe("succeeded");
    expect(existsSync(path.join(await workspaceOf(sessionId), "after-restart.txt"))).toBe(true);
  }, 300_000);

  it("konsole going away while a request waits fails the turn clearly, leaves no process and cancels the decision", async () => {
    const sessionId = await stack.newSession();
    const turnId = await sendAsync(sessionId, "make orphan.txt");
    const pending = await pendingDecision(sessionId);
    const running = (await stack.callKonsole<Turn>("GET", `/turns/${turnId}`)).body;
    expect(running.pid).not.toBeNull();
    const konsoleUrl = new URL(stack.konsole.url);
    await stack.konsole.stop();
    expect(processGroupAlive(running.pid ?? 0)).toBe(false);
    konsoleNow = await startKonsole(
      parseConfig({
        ...stack.home.env(stack.api.url),
        KONSOLE_PORT: konsoleUrl.port,
        KONSOLE_DATA_DIR: path.join(stack.home.root, "konsole"),
        KONUI_URL: stack.konui.url,
        KONSOLE_SERVICE_TOKEN: stack.serviceToken,
        KONSOLE_HOT_POOL_SIZE: "0",
        KONSOLE_ALLOWED_TOOLS: "Read Glob Grep",
        LOG_LEVEL: "silent",
      }),
    );
    const turn = await finishedTurn(sessionId, turnId);
    expect(turn.status).toBe("failed");
    expect(turn.assistantMessage?.error?.code).toBe("supervisor_restarted");
    const cancelled = await eventually("the decision to be cancelled", async () => {
      const current = (await stack.call<Decision>("GET", `/api/decisions/${pending.id}`)).body;
      return current.status === "cancelled" ? current : undefined;
    });
    expect(cancelled).toMatchObject({ decidedBy: "system" });
    expect((await answer(pending.id, { behavior: "allow" })).status).toBe(409);
  }, 300_000);
});
