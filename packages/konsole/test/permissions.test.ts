import { existsSync } from "node:fs";
import path from "node:path";
import type { PermissionAnswer, PermissionRequest, TurnEventsPage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { allToolResults, conversationRequests, toolCall, type ToolResult } from "../../../test/support/messages-api.ts";
import { processGroupAlive } from "../src/claude/process-group.ts";
import { isFinished } from "./support/konsole-harness.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

// Bash is left out of --allowedTools, so the CLI asks konsole before every command that writes.
const h = useKonsoleHarness({ env: { KONSOLE_ALLOWED_TOOLS: "Read Glob Grep" } });

const touch = (file: string) => ({ command: `touch ${file}`, description: "make a file" });
const ask = { allow: [], deny: [], ask: true };

async function permissionsOf(turnId: string): Promise<PermissionRequest[]> {
  const page = (await (await h.request("GET", `/turns/${turnId}/events?limit=1000`)).json()) as TurnEventsPage;
  return page.entries.flatMap((entry) => (entry.payload.type === "permission" ? [entry.payload.request] : []));
}

async function waitForPermission(turnId: string, count = 1): Promise<PermissionRequest> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const found = await permissionsOf(turnId);
    if (found.length >= count) return found[count - 1] as PermissionRequest;
  }
  throw new Error(`turn ${turnId} asked no permission`);
}

function answer(turnId: string, requestId: string, body: PermissionAnswer): Promise<Response> {
  return h.request("POST", `/turns/${turnId}/permissions/${encodeURIComponent(requestId)}`, body);
}

/** The tool results the agent's last request to the model carried. */
function lastToolResults(): ToolResult[] {
  return allToolResults(conversationRequests(h.api.requests).at(-1) ?? { messages: [] } as never);
}

describe("tool permissions asked of konsole (--permission-prompt-tool stdio)", () => {
  it("parks a call outside the allowed tools until it is answered; the edited input is what runs", async () => {
    h.api.setScenario(toolCall("Bash", touch("asked.txt")));
    const { turn } = await h.startTurn("ask-cold", { text: "make a file", permissions: ask });
    const asked = await waitForPermission(turn.id);
    expect(asked).toMatchObject({ toolName: "Bash", input: touch("asked.txt"), verdict: { decision: "ask", rule: null } });
    expect(asked.toolUseId).toMatch(/^toolu_/);
    expect((await h.request("GET", `/turns/${turn.id}`)).status).toBe(200);
    expect((await answer(turn.id, "no-such-request", { behavior: "allow" })).status).toBe(404);

    const response = await answer(turn.id, asked.requestId, { behavior: "allow", updatedInput: touch("edited.txt") });
    expect(response.status).toBe(204);
    const finished = await h.waitForStatus(turn.id, isFinished);
    expect(finished.status).toBe("succeeded");
    const cwd = (await h.session("ask-cold")).cwd;
    expect(existsSync(path.join(cwd, "edited.txt"))).toBe(true);
    expect(existsSync(path.join(cwd, "asked.txt"))).toBe(false);
    expect((await answer(turn.id, asked.requestId, { behavior: "allow" })).status).toBe(404);
  }, 240_000);

  it("tells the agent a person's denial on a hot process, and the model's next request carries it", async () => {
    h.api.setScenario(toolCall("Bash", touch("denied.txt")));
    const { turn } = await h.startTurn("deny-hot", { text: "make a file", mode: "hot", permissions: ask });
    const asked = await waitForPermission(turn.id);
    expect((await answer(turn.id, asked.requestId, { behavior: "deny", message: "Not today, says a teammate" })).status).toBe(204);
    const finished = await h.waitForStatus(turn.id, isFinished);
    expect(finished.status).toBe("succeeded");
    expect(lastToolResults()).toContainEqual(expect.objectContaining({ text: "Not today, says a teammate", isError: true }));
    expect(existsSync(path.join((await h.session("deny-hot")).cwd, "denied.txt"))).toBe(false);
  }, 240_000);

  it("answers from the turn's rules without asking: allow runs, deny refuses with the rule", async () => {
    h.api.setScenario(toolCall("Bash", touch("by-rule.txt")));
    const allowed = await h.runTurn("rule-allow", { text: "make a file", permissions: { ...ask, allow: ["Bash(touch:*)"] } });
    expect(allowed.status).toBe("succeeded");
    expect((await permissionsOf(allowed.id)).map((p) => p.verdict)).toEqual([{ decision: "allow", rule: "Bash(touch:*)" }]);
    expect(existsSync(path.join((await h.session("rule-allow")).cwd, "by-rule.txt"))).toBe(true);

    const denied = await h.runTurn("rule-deny", { text: "make a file", permissions: { ...ask, allow: ["Bash"], deny: ["Bash(touch:*)"] } });
    expect(denied.status).toBe("succeeded");
    expect((await permissionsOf(denied.id)).map((p) => p.verdict)).toEqual([{ decision: "deny", rule: "Bash(touch:*)" }]);
    expect(lastToolResults()).toContainEqual(expect.objectContaining({ text: "Denied by this agent's policy (Bash(touch:*)).", isError: true }));
  }, 240_000);

  it("denies at once what nobody may be asked about when the turn names no permissions", async () => {
    h.api.setScenario(toolCall("Bash", touch("unasked.txt")));
    const turn = await h.runTurn("no-permissions", { text: "make a file" });
    expect(turn.status).toBe("succeeded");
    expect((await permissionsOf(turn.id)).map((p) => p.verdict)).toEqual([{ decision: "deny", rule: null }]);
    expect(lastToolResults()).toContainEqual(expect.objectContaining({ isError: true, text: expect.stringContaining("nobody can be asked") }));
  }, 240_000);

  it("passes an agent question's answers back to it", async () => {
    const questions = [{ question: "Which color?", header: "Color", multiSelect: false, options: [{ label: "Red", description: "warm" }, { label: "Blue", description: "cool" }] }];
    h.api.setScenario(toolCall("AskUserQuestion", { questions }));
    const { turn } = await h.startTurn("question", { text: "ask me", permissions: ask });
    const asked = await waitForPermission(turn.id);
    expect(asked.toolName).toBe("AskUserQuestion");
    const response = await answer(turn.id, asked.requestId, { behavior: "allow", updatedInput: { questions, answers: { "Which color?": "Blue" } } });
    expect(response.status).toBe(204);
    expect((await h.waitForStatus(turn.id, isFinished)).status).toBe("succeeded");
    expect(lastToolResults()).toContainEqual(expect.objectContaining({ text: expect.stringContaining('"Which color?"="Blue"') }));
  }, 240_000);

  it("ends a turn interrupted while its request waits", async () => {
    h.api.setScenario(toolCall("Bash", touch("never.txt")));
    const { turn } = await h.startTurn("wait-interrupt", { text: "make a file", permissions: ask });
    const asked = await waitForPermission(turn.id);
    const response = await h.request("POST", `/turns/${turn.id}/interrupt`);
    expect(response.status).toBe(200);
    const finished = await h.waitForStatus(turn.id, isFinished);
    expect(finished.status).toBe("failed");
    expect(finished.error?.code).toBe("interrupted");
    await expect.poll(() => processGroupAlive(finished.pid ?? 0), { timeout: 60_000 }).toBe(false);
    expect((await answer(turn.id, asked.requestId, { behavior: "allow" })).status).toBe(404);
  }, 240_000);

  it("ends a turn whose request waits past its execution timeout, process and all", async () => {
    h.api.setScenario(toolCall("Bash", touch("never.txt")));
    // Long enough for the CLI to start and ask on a busy machine; the turn then waits for the timeout.
    const { turn } = await h.startTurn("wait-timeout", { text: "make a file", permissions: ask, executionTimeoutSec: 40 });
    const asked = await waitForPermission(turn.id);
    const finished = await h.waitForStatus(turn.id, isFinished);
    expect(finished.status).toBe("failed");
    expect(finished.error?.code).toBe("timeout");
    await expect.poll(() => processGroupAlive(finished.pid ?? 0), { timeout: 60_000 }).toBe(false);
    expect((await answer(turn.id, asked.requestId, { behavior: "allow" })).status).toBe(404);
  }, 240_000);
});
