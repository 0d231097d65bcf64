import type { AgentTurn } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import {
  applyNewestPage,
  applyOlderPage,
  applyProgress,
  applySession,
  applyTurnRead,
  applyTurnStatus,
  emptyLog,
  startTurn,
  upsertMessage,
  upsertToolCall,
} from "../src/store/session-log.ts";
import { message, session, toolCall } from "./fixtures.ts";

const user1 = message({ id: "m1", createdAt: "2026-03-01T10:00:01Z", turnId: "t1" });
const reply1 = message({ id: "m2", createdAt: "2026-03-01T10:00:05Z", turnId: "t1", role: "assistant", text: "42" });

function turn(over: Partial<AgentTurn>): AgentTurn {
  return { id: "t1", sessionId: "s1", status: "running", userMessage: user1, assistantMessage: null, partialText: "", queuePosition: null, ...over };
}

describe("session log", () => {
  it("streams progress in order, ignores repeats and reports a gap", () => {
    let log = startTurn(upsertMessage(emptyLog("claude", "s1"), user1), "t1", 0);
    expect(log.active).toMatchObject({ turnId: "t1", status: "running" });
    log = applyProgress(log, "t1", "Hel", 0).log;
    log = applyProgress(log, "t1", "lo", 3).log;
    expect(log.active?.partialText).toBe("Hello");
    const repeat = applyProgress(log, "t1", "lo", 3);
    expect(repeat.log).toBe(log);
    const gap = applyProgress(log, "t1", "!", 9);
    expect(gap.missed).toBe(true);
    expect(gap.log.active?.partialText).toBe("Hello");
  });

  it("keeps messages and tool calls other than the streamed turn's untouched by a delta", () => {
    let log = applyNewestPage(emptyLog("claude", "s1"), { messages: [user1, reply1], toolCalls: [toolCall({ id: "c1", turnId: "t1", startedAt: "2026-03-01T10:00:02Z" })], olderCursor: null });
    log = startTurn(log, "t2", 0);
    const before = log;
    log = applyProgress(log, "t2", "abc", 0).log;
    expect(log.messages).toBe(before.messages);
    expect(log.toolCalls).toBe(before.toolCalls);
  });

  it("ends the active turn when its reply lands, and a landed reply is never streamed again", () => {
    let log = startTurn(upsertMessage(emptyLog("claude", "s1"), user1), "t1", 0);
    log = applyProgress(log, "t1", "4", 0).log;
    log = upsertMessage(log, reply1);
    expect(log.active).toBeNull();
    expect(applyProgress(log, "t1", "2", 1).log).toBe(log);
    expect(applyTurnStatus(log, "t1", "running")).toBe(log);
    expect(startTurn(log, "t1", 0)).toBe(log);
  });

  it("shows the queue position, then running", () => {
    let log = startTurn(emptyLog("claude", "s1"), "t1", 2);
    expect(log.active).toMatchObject({ status: "queued", queuePosition: 2 });
    log = applyTurnStatus(log, "t1", "running");
    expect(log.active).toMatchObject({ status: "running", queuePosition: null });
  });

  it("after a reconnect, the turn read back wins: the landed reply, or the text so far", () => {
    const base = startTurn(upsertMessage(emptyLog("claude", "s1"), user1), "t1", 0);
    const landed = applyTurnRead(applyProgress(base, "t1", "4", 0).log, turn({ status: "succeeded", assistantMessage: reply1 }));
    expect(landed.active).toBeNull();
    expect(landed.messages.map((m) => m.id)).toEqual(["m1", "m2"]);
    const running = applyTurnRead(base, turn({ partialText: "Working on" }));
    expect(running.active).toMatchObject({ status: "running", partialText: "Working on" });
    const failed = applyTurnRead(base, turn({ status: "failed", assistantMessage: { ...reply1, status: "failed", error: { code: "max_turns", message: "Reached max turns (3)" } } }));
    expect(failed.active).toBeNull();
    expect(failed.messages[1]?.error?.message).toBe("Reached max turns (3)");
  });

  it("merges a re-read newest page without losing older pages, and prepends older pages once", () => {
    const older = message({ id: "m0", createdAt: "2026-03-01T09:00:00Z" });
    let log = applyNewestPage(emptyLog("claude", "s1"), { messages: [user1], toolCalls: [], olderCursor: "c0" });
    log = applyOlderPage(log, { messages: [older], toolCalls: [], olderCursor: null });
    log = applyNewestPage(log, { messages: [user1, reply1], toolCalls: [], olderCursor: "c1" });
    expect(log.messages.map((m) => m.id)).toEqual(["m0", "m1", "m2"]);
    expect(log.olderCursor).toBeNull();
  });

  it("groups tool calls by turn and updates them in place", () => {
    let log = emptyLog("claude", "s1");
    log = upsertToolCall(log, toolCall({ id: "c1", turnId: "t1", startedAt: "2026-03-01T10:00:02Z" }));
    log = upsertToolCall(log, toolCall({ id: "c2", turnId: "t1", startedAt: "2026-03-01T10:00:03Z", name: "Read" }));
    log = upsertToolCall(log, toolCall({ id: "c1", turnId: "t1", startedAt: "2026-03-01T10:00:02Z", status: "ok", result: "a\nb" }));
    expect(log.toolCalls.t1?.map((c) => [c.id, c.status])).toEqual([
      ["c1", "ok"],
      ["c2", "running"],
    ]);
  });

  it("takes an active turn from the session's state when it has none", () => {
    const log = applySession(emptyLog("claude", "s1"), session({ id: "s1", state: "queued", activeTurnId: "t9" }));
    expect(log.active).toMatchObject({ turnId: "t9", status: "queued" });
    expect(applySession(log, session({ id: "other" }))).toBe(log);
  });
});
