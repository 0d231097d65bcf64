// konsole runs the CLI with --include-partial-messages: the journal carries the reply's text
// deltas while the model writes, and the turn's figures stay what they were.

import type { ClaudeEvent, JournalEntry, TurnEventsPage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { plainText, slow, toolCall, userPrompts, type Scenario } from "../../../test/support/messages-api.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

const bash = toolCall("Bash", { command: "echo partial-hi", description: "say hi" });
const streamed = slow(plainText("one two three"), { firstByteDelayMs: 100, deltaDelayMs: 50 });
const scenario: Scenario = (request) => (/bash/i.test(userPrompts(request).at(-1) ?? "") ? bash(request) : streamed(request));

const h = useKonsoleHarness({ scenario });

async function eventsOf(turnId: string): Promise<{ entry: JournalEntry; event: ClaudeEvent }[]> {
  const page = (await (await h.request("GET", `/turns/${turnId}/events?after=0&limit=1000`)).json()) as TurnEventsPage;
  return page.entries.flatMap((entry) =>
    entry.payload.type === "claude" && entry.payload.line.kind === "event" ? [{ entry, event: entry.payload.line.event }] : [],
  );
}

function textDeltas(events: { event: ClaudeEvent }[]): string[] {
  return events.flatMap(({ event }) => {
    if (event.type !== "stream_event") return [];
    const inner = event.event as { type: string; delta?: { type?: string; text?: string } };
    return inner.type === "content_block_delta" && inner.delta?.type === "text_delta" ? [inner.delta.text ?? ""] : [];
  });
}

describe("partial messages", () => {
  it("journals the reply's text deltas before the assistant event, with the usual figures", async () => {
    const accepted = await h.startTurn("partial-1", { text: "Count", mode: "hot" });
    const turn = await h.waitForStatus(accepted.turn.id, (t) => t.status === "succeeded" || t.status === "failed");
    expect(turn.status).toBe("succeeded");
    expect(turn.reply).toBe("one two three");

    const events = await eventsOf(turn.id);
    expect(textDeltas(events)).toEqual(["one ", "two ", "three"]);
    const firstDelta = events.findIndex(({ event }) => event.type === "stream_event");
    const firstAssistant = events.findIndex(({ event }) => event.type === "assistant");
    expect(firstDelta).toBeGreaterThan(-1);
    expect(firstDelta).toBeLessThan(firstAssistant);

    const figures = turn.figures;
    expect(figures).toMatchObject({ toolCallCount: 0, toolMs: 0, numTurns: 1, costSource: "cli" });
    expect(figures?.ttfeMs).not.toBeNull();
    // Time to first event now counts from the first streamed line, which comes before the message.
    const firstStreamAt = Date.parse(events[firstDelta]?.entry.at ?? "");
    const firstAssistantAt = Date.parse(events[firstAssistant]?.entry.at ?? "");
    expect(firstStreamAt).toBeLessThanOrEqual(firstAssistantAt);
    expect(figures?.ttfeMs ?? Infinity).toBeLessThanOrEqual(figures?.totalMs ?? 0);
    expect(Math.abs((figures?.modelMs ?? 0) + (figures?.toolMs ?? 0) - (figures?.totalMs ?? 0))).toBeLessThanOrEqual(1);
  }, 90_000);

  it("counts a Bash call and its time once, however many stream lines surround it", async () => {
    const accepted = await h.startTurn("partial-2", { text: "say hi with bash", mode: "hot" });
    const turn = await h.waitForStatus(accepted.turn.id, (t) => t.status === "succeeded" || t.status === "failed");
    expect(turn.status).toBe("succeeded");
    expect(turn.reply).toContain("partial-hi");
    expect(turn.figures).toMatchObject({ toolCallCount: 1, numTurns: 2 });
    expect(turn.figures?.toolMs).toBeGreaterThan(0);
    // Each figure is rounded to a millisecond on its own.
    expect(Math.abs((turn.figures?.modelMs ?? 0) + (turn.figures?.toolMs ?? 0) - (turn.figures?.totalMs ?? 0))).toBeLessThanOrEqual(1);

    const events = await eventsOf(turn.id);
    expect(textDeltas(events).join("")).toBe(turn.reply);
    const toolUseStarts = events.filter(({ event }) => {
      if (event.type !== "stream_event") return false;
      const inner = event.event as { type: string; content_block?: { type?: string } };
      return inner.type === "content_block_start" && inner.content_block?.type === "tool_use";
    });
    expect(toolUseStarts).toHaveLength(1);
  }, 90_000);
});
