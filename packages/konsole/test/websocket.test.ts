import { KonsoleServerFrame, type JournalEntry } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { SERVICE_TOKEN } from "./support/konsole-harness.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

const h = useKonsoleHarness();

interface Subscriber {
  frames: KonsoleServerFrame[];
  entries(): JournalEntry[];
  send(frame: unknown): void;
  close(): Promise<void>;
}

async function connect(): Promise<Subscriber> {
  const ws = new WebSocket(`${h.konsole.url.replace("http", "ws")}/ws`, { headers: { authorization: `Bearer ${SERVICE_TOKEN}` } });
  const frames: KonsoleServerFrame[] = [];
  ws.on("message", (data) => frames.push(KonsoleServerFrame.parse(JSON.parse(String(data)))));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    frames,
    entries: () => frames.flatMap((frame) => (frame.type === "entry" ? [frame.entry] : [])),
    send: (frame) => ws.send(JSON.stringify(frame)),
    close: () =>
      new Promise((resolve) => {
        ws.once("close", () => resolve());
        ws.close();
      }),
  };
}

const isFinalTurnEntry = (turnId: string) => (entry: JournalEntry) =>
  entry.turnId === turnId && entry.payload.type === "turn" && ["succeeded", "failed"].includes(entry.payload.turn.status);

describe("the journal over WebSocket", () => {
  it("streams a session live and resumes from a cursor after a disconnect, missing nothing", async () => {
    const first = await connect();
    first.send({ type: "subscribe", sessionId: "ws-1", after: 0 });
    const turn1 = await h.runTurn("ws-1", { text: "Remember 8" });
    await expect.poll(() => first.entries().some(isFinalTurnEntry(turn1.id)), { timeout: 60_000 }).toBe(true);
    expect(first.frames[0]).toEqual({ type: "subscribed", after: 0, sessionId: "ws-1" });
    const seen = first.entries();
    const cut = Math.floor(seen.length / 2);
    const cursor = seen[cut - 1]?.cursor ?? 0;
    await first.close();

    await h.runTurn("other-session", { text: "hello" });
    const turn2 = await h.runTurn("ws-1", { text: "What number?" });
    expect(turn2.reply).toBe("The number is 8");

    const second = await connect();
    second.send({ type: "subscribe", sessionId: "ws-1", after: cursor });
    await expect.poll(() => second.entries().some(isFinalTurnEntry(turn2.id)), { timeout: 60_000 }).toBe(true);
    const resumed = second.entries();
    expect(resumed.every((entry) => entry.sessionId === "ws-1")).toBe(true);
    expect(resumed[0]?.cursor).toBeGreaterThan(cursor);
    const cursors = [...seen.slice(0, cut), ...resumed].map((entry) => entry.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);

    const third = await connect();
    third.send({ type: "subscribe", sessionId: "ws-1", after: 0 });
    await expect.poll(() => third.entries().some(isFinalTurnEntry(turn2.id)), { timeout: 60_000 }).toBe(true);
    expect(third.entries().map((entry) => entry.cursor)).toEqual(cursors);
    await Promise.all([second.close(), third.close()]);
  }, 240_000);

  it("streams every session when none is named, and answers pings and bad frames", async () => {
    const all = await connect();
    all.send({ type: "subscribe", after: 0 });
    all.send({ type: "ping" });
    all.send({ type: "subscribe", after: -1 });
    all.send("not json at all");
    await expect.poll(() => all.frames.filter((frame) => frame.type === "error").length, { timeout: 60_000 }).toBe(2);
    expect(all.frames.some((frame) => frame.type === "pong")).toBe(true);
    const sessions = new Set(all.entries().map((entry) => entry.sessionId));
    expect(sessions).toEqual(new Set(["ws-1", "other-session"]));
    await all.close();
  }, 120_000);
});
