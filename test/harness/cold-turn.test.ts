import { existsSync } from "node:fs";
import { buildUserMessage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { assistantTexts, isInit } from "../support/claude-events.ts";
import { useClaudeHarness } from "../support/claude-harness.ts";
import { conversationRequests, defaultUsage, userPrompts } from "../support/messages-api.ts";

describe("a cold turn of the real CLI against the stand-in", () => {
  const h = useClaudeHarness();

  it("prints init, the assistant's OK and a successful result with a cost", async () => {
    const turn = await h.run([buildUserMessage("Hello there")]);

    expect(turn.timedOut).toBe(false);
    expect(turn.exit.code).toBe(0);
    const init = turn.events.find(isInit);
    expect(init).toMatchObject({ cwd: h.home.cwd, apiKeySource: "ANTHROPIC_API_KEY" });
    expect(assistantTexts(turn.events)).toEqual(["OK"]);
    expect(turn.result).toMatchObject({
      subtype: "success",
      is_error: false,
      result: "OK",
      session_id: init?.session_id,
      usage: defaultUsage,
    });
    expect(turn.result?.total_cost_usd).toBeGreaterThan(0);
  });

  it("sends the prompt to the stand-in, which echoes the model, and keeps a transcript", async () => {
    const turn = await h.run([buildUserMessage("Hello there")]);

    const requests = conversationRequests(h.api.requests);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request && userPrompts(request)).toEqual(["Hello there"]);
    expect(turn.events.find(isInit)?.model).toBe(request?.model);
    expect(h.api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/messages"]);
    const sessionId = turn.result?.session_id ?? "";
    expect(existsSync(h.home.transcriptPath(sessionId))).toBe(true);
  });
});
