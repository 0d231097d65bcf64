import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { buildUserMessage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { useClaudeHarness } from "../support/claude-harness.ts";
import { conversationRequests, userPrompts } from "../support/messages-api.ts";

describe("--session-id then --resume", () => {
  const h = useClaudeHarness();

  it("remembers what an earlier process was told", async () => {
    const sessionId = randomUUID();
    const first = await h.run([buildUserMessage("Remember 42")], ["--session-id", sessionId]);
    expect(first.result).toMatchObject({ subtype: "success", result: "OK", session_id: sessionId });

    const second = await h.run([buildUserMessage("What number?")], ["--resume", sessionId]);
    expect(second.result).toMatchObject({ subtype: "success", is_error: false, session_id: sessionId });
    expect(second.result?.result).toContain("42");
    // The resumed process sent the whole history, read back from the transcript.
    const last = conversationRequests(h.api.requests).at(-1);
    expect(last && userPrompts(last)).toEqual(["Remember 42", "What number?"]);
  });

  it("fails with 'No conversation found' once the transcript is gone", async () => {
    const sessionId = randomUUID();
    await h.run([buildUserMessage("Remember 42")], ["--session-id", sessionId]);
    rmSync(h.home.transcriptPath(sessionId));

    const resumed = await h.run([buildUserMessage("What number?")], ["--resume", sessionId]);
    expect(resumed.exit.code).toBe(1);
    expect(resumed.result).toMatchObject({ subtype: "error_during_execution", is_error: true });
    expect(resumed.result?.errors).toEqual([`No conversation found with session ID: ${sessionId}`]);
    expect(resumed.stderr).toContain("No conversation found with session ID");
  });
});
