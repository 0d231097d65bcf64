import { buildUserMessage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { toolUses } from "../support/claude-events.ts";
import { useClaudeHarness } from "../support/claude-harness.ts";
import { conversationRequests, loopForever, noopBash } from "../support/messages-api.ts";

describe("--max-turns", () => {
  const h = useClaudeHarness({ scenario: loopForever() });

  it("ends an endless tool loop with error_max_turns", async () => {
    const turn = await h.run([buildUserMessage("loop forever please")], ["--max-turns", "3", "--allowedTools", "Bash"]);

    expect(turn.result).toMatchObject({ subtype: "error_max_turns", is_error: true });
    expect(turn.result?.errors).toEqual(["Reached maximum number of turns (3)"]);
    expect(toolUses(turn.events).map((use) => use.input)).toEqual([noopBash, noopBash, noopBash]);
    expect(conversationRequests(h.api.requests)).toHaveLength(3);
  });
});
