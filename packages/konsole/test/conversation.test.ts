import { existsSync, rmSync } from "node:fs";
import type { JournalEntry, KonsoleSession, TurnEventsPage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

const h = useKonsoleHarness();

async function session(id: string): Promise<KonsoleSession> {
  return (await (await h.request("GET", `/sessions/${id}`)).json()) as KonsoleSession;
}

describe("a cold turn", () => {
  it("runs the real CLI end to end and records figures, journal and token", async () => {
    const accepted = await h.startTurn("cold-1", { text: "Remember 42", requestId: "req-1" });
    expect(accepted.turn.status).toBe("queued");
    expect(accepted.turn.requestId).toBe("req-1");
    expect(accepted.queuePosition).toBe(0);

    const turn = await h.waitForStatus(accepted.turn.id, (t) => t.status === "succeeded" || t.status === "failed");
    expect(turn.status).toBe("succeeded");
    expect(turn.reply).toBe("OK");
    expect(turn.recovered).toBe(false);
    expect(turn.memoryLost).toBe(false);
    expect(turn.claudeSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(turn.figures).toMatchObject({
      costSource: "cli",
      numTurns: 1,
      toolCallCount: 0,
      compactions: 0,
    });
    expect(turn.figures?.costUsd).toBeGreaterThan(0);
    expect(turn.figures?.model).toBeTruthy();
    expect(turn.figures?.ttfeMs).not.toBeNull();
    expect(turn.figures?.tokens.input).toBeGreaterThan(0);
    expect(turn.figures?.lastCacheRatio).not.toBeNull();

    const page = (await (await h.request("GET", `/turns/${turn.id}/events?after=0&limit=1000`)).json()) as TurnEventsPage;
    const seqs = page.entries.map((entry: JournalEntry) => entry.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const claudeTypes = page.entries.flatMap((entry) =>
      entry.payload.type === "claude" && entry.payload.line.kind === "event" ? [entry.payload.line.event.type] : [],
    );
    expect(claudeTypes[0]).toBe("system");
    expect(claudeTypes).toContain("assistant");
    expect(claudeTypes.at(-1)).toBe("result");
    const later = (await (await h.request("GET", `/turns/${turn.id}/events?after=2&limit=1`)).json()) as TurnEventsPage;
    expect(later.entries.map((entry) => entry.seq)).toEqual([3]);
    expect(later.nextSeq).toBe(3);

    const issued = h.konui.issued.find((entry) => entry.request.sessionId === "cold-1");
    expect(issued?.request.userId).toBe("u1");
    await expect.poll(() => issued?.revokedAt, { timeout: 60_000 }).not.toBeNull();

    const listed = (await (await h.request("GET", "/sessions/cold-1/turns")).json()) as { turns: unknown[] };
    expect(listed.turns).toHaveLength(1);
    expect((await session("cold-1")).claudeSessionId).toBe(turn.claudeSessionId);
  }, 240_000);
});

describe("resume and memory", () => {
  it("remembers across processes by resuming the conversation; its cost is the turn's own", async () => {
    const first = await h.runTurn("memory-1", { text: "Remember 7" });
    const second = await h.runTurn("memory-1", { text: "What number?" });
    expect(second.status).toBe("succeeded");
    expect(second.reply).toBe("The number is 7");
    expect(second.claudeSessionId).toBe(first.claudeSessionId);
    expect(second.pid).not.toBe(first.pid);
    expect(second.memoryLost).toBe(false);
    expect(second.figures?.costUsd).toBeCloseTo(first.figures?.costUsd ?? -1, 10);
  }, 240_000);

  it("falls back to a new conversation when the transcript is gone, and says so", async () => {
    const first = await h.runTurn("memory-2", { text: "Remember 9" });
    const file = h.home.transcriptPath(first.claudeSessionId ?? "", (await session("memory-2")).cwd);
    expect(existsSync(file)).toBe(true);
    rmSync(file);

    const second = await h.runTurn("memory-2", { text: "What number?" });
    expect(second.status).toBe("succeeded");
    expect(second.memoryLost).toBe(true);
    expect(second.reply).toBe("I don't know");
    expect(second.claudeSessionId).not.toBe(first.claudeSessionId);
    expect((await session("memory-2")).claudeSessionId).toBe(second.claudeSessionId);

    const third = await h.runTurn("memory-2", { text: "What number?" });
    expect(third.memoryLost).toBe(false);
    expect(third.claudeSessionId).toBe(second.claudeSessionId);
  }, 240_000);

  it("reset forgets the conversation but keeps the session and its turns", async () => {
    const first = await h.runTurn("memory-3", { text: "Remember 5" });
    const cwd = (await session("memory-3")).cwd;
    const response = await h.request("POST", "/sessions/memory-3/reset");
    expect(response.status).toBe(200);
    const reset = (await response.json()) as KonsoleSession;
    expect(reset.claudeSessionId).toBeNull();
    expect(existsSync(h.home.transcriptPath(first.claudeSessionId ?? "", cwd))).toBe(false);

    const second = await h.runTurn("memory-3", { text: "What number?" });
    expect(second.reply).toBe("I don't know");
    expect(second.memoryLost).toBe(false);
    expect(second.claudeSessionId).not.toBe(first.claudeSessionId);
    const listed = (await (await h.request("GET", "/sessions/memory-3/turns")).json()) as { turns: unknown[] };
    expect(listed.turns).toHaveLength(2);
  }, 240_000);
});
