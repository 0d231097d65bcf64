// A conversation someone had in a terminal shows up under /api/host (live as lines are added),
// and "Continue here" hands it to konui: the next message resumes it with the real CLI under
// konsole, and the stand-in sees the earlier conversation in that request.

import { createHash, randomUUID } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import { buildUserMessage, type AgentSession, type KonsoleSession, type ObservedSessionDetail, type ObservedSessionPage } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClaudeHome, transcriptPathIn, type ClaudeHome } from "../support/claude-env.ts";
import { DashboardStream } from "../support/dashboard-stream.ts";
import { conversationRequests, memory, userPrompts } from "../support/messages-api.ts";
import { runClaudeTurn } from "../support/run-claude.ts";
import { oneMoreApiMessage } from "../support/transcript-lines.ts";
import { eventually, startStack, type Stack } from "./stack.ts";

let stack: Stack;
/** Where "the terminal" keeps its config: a folder konsole observes but does not run the CLI with. */
let terminalHome: ClaudeHome;
beforeAll(async () => {
  terminalHome = createClaudeHome();
  stack = await startStack({ scenario: () => memory(), konsoleEnv: { KONSOLE_OBSERVE_DIRS: terminalHome.configDir } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await terminalHome?.cleanup();
}, 60_000);

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("host sessions and Continue here", () => {
  it("shows a terminal's session, follows an appended line live, and resumes it under konsole", async () => {
    const terminalConfig = terminalHome.configDir;
    const terminalCwd = terminalHome.cwd;
    const claudeSessionId = randomUUID();
    const terminal = await runClaudeTurn({
      input: [buildUserMessage("Remember 42")],
      args: ["--session-id", claudeSessionId],
      env: stack.home.env(stack.api.url, { CLAUDE_CONFIG_DIR: terminalConfig }),
      cwd: terminalCwd,
    });
    expect(terminal.result).toMatchObject({ subtype: "success", session_id: claudeSessionId });
    const transcript = transcriptPathIn(terminalConfig, claudeSessionId, terminalCwd);

    const seen = await eventually("the observer to index the terminal's session", async () => {
      const res = await stack.call<ObservedSessionDetail>("GET", `/api/host/sessions/${claudeSessionId}`);
      return res.status === 200 && res.body.usage.messages >= 1 ? res.body : undefined;
    });
    expect(seen).toMatchObject({ cwd: terminalCwd, title: "Remember 42", konsoleSessionId: null });
    const list = await stack.call<ObservedSessionPage>("GET", "/api/host/sessions?active=true");
    expect(list.body.sessions.map((s) => s.id)).toContain(claudeSessionId);

    // A line the terminal writes reaches the dashboard's socket as a host frame.
    const live = await DashboardStream.open(stack.konui.url, stack.token);
    try {
      await live.until((f) => f.type === "hello");
      appendFileSync(transcript, oneMoreApiMessage(transcript));
      const frame = await live.until(
        (f) => f.type === "host" && f.event.kind === "session" && f.event.session.id === claudeSessionId && f.event.session.usage.messages > seen.usage.messages,
      );
      expect(frame.type === "host" && frame.event.kind === "session" && frame.event.session.usage.costUsd).toBeGreaterThan(seen.usage.costUsd);
    } finally {
      live.close();
    }
    const terminalBefore = sha(transcript);

    const adopted = await stack.call<AgentSession>("POST", `/api/host/sessions/${claudeSessionId}/adopt`, {});
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(201);
    expect(adopted.body).toMatchObject({ agent: "claude", claudeSessionId, title: "Remember 42" });
    const konsoleSession = await stack.callKonsole<KonsoleSession>("GET", `/sessions/${adopted.body.id}`);
    expect(konsoleSession.body).toMatchObject({ claudeSessionId, cwd: terminalCwd });

    const before = stack.api.requests.length;
    const sent = await stack.send(adopted.body.id, "What number?");
    expect(sent.message.text).toContain("The number is 42");
    // The CLI (2.1.329) resumes under the same session id: konsole ran the same conversation.
    expect(sent.message.claudeSessionId).toBe(claudeSessionId);
    const request = conversationRequests(stack.api.requests.slice(before)).at(-1);
    expect(request && userPrompts(request)).toEqual(["Remember 42", "What number?"]);

    // The terminal's transcript is as it was; konsole continued in its own copy, in its config dir.
    expect(sha(transcript)).toBe(terminalBefore);
    expect(readFileSync(stack.home.transcriptPath(claudeSessionId, terminalCwd), "utf8")).toContain("What number?");
    await eventually("the observer to link the conversation to its agent session", async () => {
      const res = await stack.call<ObservedSessionDetail>("GET", `/api/host/sessions/${claudeSessionId}`);
      return res.body.konsoleSessionId === adopted.body.id ? true : undefined;
    });

  }, 240_000);
});
