import { buildUserMessage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { assistantTexts, isAssistant } from "../support/claude-events.ts";
import { useClaudeHarness } from "../support/claude-harness.ts";
import { plainText, slow, textReply } from "../support/messages-api.ts";

describe("streamed replies", () => {
  const h = useClaudeHarness();

  it("passes a slow stream's text deltas through --include-partial-messages", async () => {
    h.api.setScenario(slow(plainText("one two three"), { firstByteDelayMs: 200, deltaDelayMs: 100 }));
    const turn = await h.run([buildUserMessage("Count")], ["--include-partial-messages"]);

    const deltas = turn.events.flatMap((event) =>
      event.type === "stream_event" && event.event.type === "content_block_delta" ? [event.event.delta] : [],
    );
    expect(deltas).toEqual([
      { type: "text_delta", text: "one " },
      { type: "text_delta", text: "two " },
      { type: "text_delta", text: "three" },
    ]);
    expect(turn.result).toMatchObject({ subtype: "success", result: "one two three" });
  });

  it("shows thinking as its own assistant block", async () => {
    h.api.setScenario(() => textReply("Forty-two", { thinking: "Let me think this through" }));
    const turn = await h.run([buildUserMessage("Think first")]);

    const blocks = turn.events.filter(isAssistant).flatMap((event) => event.message.content);
    expect(blocks).toEqual([
      expect.objectContaining({ type: "thinking", thinking: "Let me think this through" }),
      { type: "text", text: "Forty-two" },
    ]);
    expect(assistantTexts(turn.events)).toEqual(["Forty-two"]);
    expect(turn.result).toMatchObject({ subtype: "success", result: "Forty-two" });
  });
});
