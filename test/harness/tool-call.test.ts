import { buildUserMessage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { toolUses } from "../support/claude-events.ts";
import { useClaudeHarness } from "../support/claude-harness.ts";
import { allToolResults, conversationRequests, toolCall } from "../support/messages-api.ts";

describe("a Bash tool call", () => {
  const h = useClaudeHarness({
    scenario: toolCall("Bash", { command: "echo hi-from-bash", description: "Say hi" }),
  });

  it("runs the command and sends its output back to the API", async () => {
    const turn = await h.run([buildUserMessage("say hi with bash")], ["--allowedTools", "Bash"]);

    expect(toolUses(turn.events).map((use) => use.name)).toEqual(["Bash"]);
    expect(turn.result).toMatchObject({ subtype: "success", is_error: false, num_turns: 2 });
    expect(turn.result?.result).toContain("hi-from-bash");
    const last = conversationRequests(h.api.requests).at(-1);
    expect(last && allToolResults(last)).toEqual([
      { toolUseId: expect.any(String), text: "hi-from-bash", isError: false },
    ]);
  });
});
