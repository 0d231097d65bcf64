// konui and konsole together with the real `claude` CLI against the Messages API stand-in:
// login, sessions with memory and reset, the turn-limit guardrail, a Claude process that
// creates a kontask with its own KONUI_TOKEN (refused once the process is gone), an
// attachment the agent reads from its workspace, and a Bash call streamed to the dashboard.

import fs from "node:fs";
import path from "node:path";
import type { AgentSession, Kontask, KontaskPage, Message, MessagePage, SendMessageResult, ToolCall } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardStream } from "../support/dashboard-stream.ts";
import { loopForever, memory, slow, toolCall, userPrompts, type Scenario } from "../support/messages-api.ts";
import { createKontaskWithOwnToken } from "./kontask-scenario.ts";
import { startStack, type Stack } from "./stack.ts";

let stack: Stack;
let tokenFile: string;

/** A message naming an attached CSV gets a Bash `cat` of it, then the file's content quoted back. */
function readAttachment(request: Parameters<Scenario>[0]): ReturnType<Scenario> | undefined {
  const attached = /saved at (uploads\/[\w.-]+\.csv)\]/.exec(userPrompts(request).at(-1) ?? "")?.[1];
  if (!attached) return undefined;
  return toolCall("Bash", { command: `cat ${attached}`, description: "read the attachment" })(request);
}

/** "echo for the dashboard" gets a Bash `echo`, then its output quoted back, streamed word by word. */
const echoForDashboard = slow(toolCall("Bash", { command: "echo streamed-from-bash", description: "echo for the dashboard" }), {
  firstByteDelayMs: 50,
  deltaDelayMs: 30,
});

/**
 * "echo for the dashboard" streams a Bash call; "loop" asks for Bash forever; "kontask" makes Claude curl konui with its own token; an
 * attached CSV is read with `cat`; the rest is `memory()`.
 */
function scenario(tokenFile: string): Scenario {
  const remember = memory();
  const loop = loopForever();
  const createKontask = createKontaskWithOwnToken(tokenFile);
  return (request) => {
    const last = userPrompts(request).at(-1) ?? "";
    if (/echo for the dashboard/i.test(last)) return echoForDashboard(request);
    if (/loop/i.test(last)) return loop(request);
    if (/kontask/i.test(last)) return createKontask(request);
    return readAttachment(request) ?? remember(request);
  };
}

const call: Stack["call"] = (method, url, body, bearer) => stack.call(method, url, body, bearer);
const newSession = (): Promise<string> => stack.newSession();
const send = async (sessionId: string, text: string): Promise<Message> => (await stack.send(sessionId, text)).message;

beforeAll(async () => {
  stack = await startStack({
    scenario: (home) => {
      tokenFile = path.join(home.root, "konui-token");
      return scenario(tokenFile);
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("konui + konsole + the real claude CLI", () => {
  it("remembers within a session and forgets after a reset, keeping the log", async () => {
    const sessionId = await newSession();
    expect((await send(sessionId, "Remember 42")).status).toBe("complete");
    const recalled = await send(sessionId, "What number?");
    expect(recalled.text).toContain("42");
    expect(recalled.claudeSessionId).toBeTruthy();
    expect(recalled.costUsd).not.toBeNull();

    expect((await call("POST", `/api/agents/claude/sessions/${sessionId}/reset`)).status).toBe(200);
    const forgotten = await send(sessionId, "What number?");
    expect(forgotten.status).toBe("complete");
    expect(forgotten.text).not.toContain("42");

    const session = await call<{ messages: Message[] }>("GET", `/api/agents/claude/sessions/${sessionId}`);
    expect(session.body.messages).toHaveLength(6);
  });

  it("fails a looping request at max_turns_task with the exact turn-limit message", async () => {
    expect((await call("PUT", "/api/agents/claude/guardrails", { max_turns_task: 3 })).status).toBe(200);
    const sessionId = await newSession();
    const failed = await send(sessionId, "loop until told to stop");
    expect(failed.status).toBe("failed");
    expect(failed.error?.message).toBe(
      "Task exceeded turn limit: Reached maximum number of turns (3). Consider increasing max_turns_task in guardrails or breaking into smaller subtasks.",
    );
    expect((await call("PUT", "/api/agents/claude/guardrails", { max_turns_task: 50 })).status).toBe(200);
  });

  it("delivers an asynchronous send's reply over the dashboard WebSocket, from konsole's event stream", async () => {
    const stream = await DashboardStream.open(stack.konui.url, stack.token);
    try {
      expect(await stream.until((f) => f.type === "hello")).toMatchObject({ user: { username: "admin" } });
      const sessionId = await newSession();
      const accepted = await call<{ turnId: string }>("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, {
        text: "Remember 7",
      });
      expect(accepted.status).toBe(202);
      const { turnId } = accepted.body;
      const reply = await stream.until((f) => f.type === "message" && f.message.role === "assistant" && f.message.turnId === turnId);
      expect(reply).toMatchObject({ type: "message", sessionId, message: { status: "complete", text: "OK" } });
      expect(stream.frames.some((f) => f.type === "progress" && f.turnId === turnId)).toBe(true);
      const turn = await call<{ status: string }>("GET", `/api/agents/claude/sessions/${sessionId}/turns/${turnId}`);
      expect(turn.body.status).toBe("succeeded");
    } finally {
      stream.close();
    }
  });

  it("lets a Claude process create a kontask with its own KONUI_TOKEN, refused once the process is gone", async () => {
    const sessionId = await newSession();
    const reply = await send(sessionId, "Please create a kontask");
    expect(reply.text).toContain("HTTP 201");

    const page = await call<KontaskPage>("GET", `/api/kontasks?createdBy=claude&session=${sessionId}`);
    expect(page.body.kontasks.map((k: Kontask) => k.title)).toEqual(["Made by Claude"]);

    const processToken = fs.readFileSync(tokenFile, "utf8");
    expect(processToken.startsWith("kpt_")).toBe(true);
    // Sends are hot: the process outlives its turn. A reset retires it; konui refuses its token at once.
    expect((await call("POST", `/api/agents/claude/sessions/${sessionId}/reset`)).status).toBe(200);
    expect((await call("GET", "/api/me", undefined, processToken)).status).toBe(401);
  });

  it("hands an attached CSV to the agent, which reads it with `cat uploads/<name>`", async () => {
    const sessionId = await newSession();
    const form = new FormData();
    form.set("text", "Summarise the attached numbers");
    form.append("files", new File(["city,count\nOslo,42\n"], "numbers.csv", { type: "text/csv" }));
    const res = await fetch(`${stack.konui.url}/api/agents/claude/sessions/${sessionId}/message`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.token}` },
      body: form,
    });
    const body = (await res.json()) as SendMessageResult;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.userMessage.attachments[0]?.path).toMatch(/^uploads\/[0-9a-f-]{36}\.csv$/);
    expect(body.message.status).toBe("complete");
    expect(body.message.text).toContain("city,count\nOslo,42");
  });

  it("streams a Bash call to the dashboard: tool frames running → ok, progress pieces that add up to the reply", async () => {
    const stream = await DashboardStream.open(stack.konui.url, stack.token);
    try {
      const sessionId = await newSession();
      const accepted = await call<{ turnId: string }>("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, {
        text: "Please echo for the dashboard",
      });
      expect(accepted.status).toBe(202);
      const { turnId } = accepted.body;
      const reply = await stream.until((f) => f.type === "message" && f.message.role === "assistant" && f.message.turnId === turnId);
      if (reply.type !== "message") throw new Error("not a message frame");
      expect(reply.message).toMatchObject({ status: "complete", model: expect.any(String) });
      expect(reply.message.text).toContain("streamed-from-bash");
      expect(reply.message.timing).toMatchObject({ toolCallCount: 1, ttfeMs: expect.any(Number) });
      expect(reply.message.timing?.toolExecutionMs).toBeGreaterThan(0);

      const calls = stream.frames.flatMap((f) => (f.type === "tool" && f.call.turnId === turnId ? [f.call] : []));
      expect(calls.map((c: ToolCall) => [c.name, c.status])).toEqual([
        ["Bash", "running"],
        ["Bash", "ok"],
      ]);
      expect(calls[0]?.input).toMatchObject({ command: "echo streamed-from-bash" });
      expect(calls[1]?.result).toContain("streamed-from-bash");

      const pieces = stream.frames.flatMap((f) => (f.type === "progress" && f.turnId === turnId ? [f] : []));
      // konui sends deltas that come within its window as one piece: how many depends on timing.
      expect(pieces.length).toBeGreaterThanOrEqual(1);
      let text = "";
      for (const piece of pieces) {
        expect(piece.offset).toBe(text.length);
        text += piece.text;
      }
      expect(text).toBe(reply.message.text);
      const turnFrames = stream.frames.flatMap((f) => (f.type === "turn" && f.turnId === turnId ? [f.status] : []));
      expect(turnFrames).toEqual(["queued", "running", "succeeded"]);

      const page = await call<MessagePage>("GET", `/api/agents/claude/sessions/${sessionId}/messages`);
      expect(page.body.toolCalls.map((c) => [c.id, c.status])).toEqual([[calls[0]?.id, "ok"]]);
      // Sends are hot: the process stays for the next turn, and konsole says so.
      const listed = await call<{ sessions: AgentSession[] }>("GET", "/api/agents/claude/sessions");
      expect(listed.body.sessions.find((s) => s.id === sessionId)).toMatchObject({ state: "idle", hot: true, activeTurnId: null });
    } finally {
      stream.close();
    }
  });
});
