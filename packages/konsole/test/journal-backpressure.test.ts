// A journal socket that does not read is never buffered without bound: a replay waits for it to
// drain and a live follower past the cap is closed with 4008. The sink stands in for the socket
// (its unsent bytes are what the test says), the journal is the real one on a real database.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KonsoleCloseCode, type KonsoleEvent, type KonsoleServerFrame } from "@kon/protocol";
import { afterEach, expect, it } from "vitest";
import { createKonsoleBus } from "../src/events/bus.ts";
import { JournalStream, type FrameSink } from "../src/http/journal-stream.ts";
import { openDatabase, type OpenDatabase } from "../src/journal/database.ts";
import { TurnJournal } from "../src/journal/turn-journal.ts";

const turnId = "7f0c1c1e-6d2a-4f59-9d7e-2b1f3f6c9a10";
const opened: OpenDatabase[] = [];

afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

function journalWith(entries: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "konsole-backpressure-"));
  const database = openDatabase(dir);
  opened.push(database);
  const bus = createKonsoleBus({ check: true });
  const journal = new TurnJournal(database.db, bus);
  for (let i = 0; i < entries; i++) journal.append(turnId, "s1", { type: "stderr", text: "x".repeat(100) });
  return { journal, bus };
}

/** A socket whose peer reads only when told to: everything sent stays unsent until `read()`. */
function stalledSocket() {
  const frames: KonsoleServerFrame[] = [];
  let unsent = 0;
  const closed: Array<{ code: number; reason: string }> = [];
  const sink: FrameSink = {
    send: (frame) => {
      frames.push(frame);
      unsent += JSON.stringify(frame).length;
    },
    bufferedBytes: () => unsent,
    close: (code, reason) => closed.push({ code, reason }),
  };
  return { sink, frames, closed, read: () => (unsent = 0), unsent: () => unsent };
}

const entriesOf = (frames: KonsoleServerFrame[]) => frames.flatMap((frame) => (frame.type === "entry" ? [frame.entry.cursor] : []));

it("replays no faster than the socket drains, then follows live appends with nothing missed", async () => {
  const { journal, bus } = journalWith(1_200);
  const socket = stalledSocket();
  const stream = new JournalStream(journal, socket.sink, { maxBufferedBytes: 20_000, drainTimeoutMs: 60_000 }, bus);
  stream.handle(JSON.stringify({ type: "subscribe", after: 0 }));
  // The replay stops at the cap and waits.
  expect(socket.unsent()).toBeLessThan(20_000 + 1_000);
  const sentBeforeRead = entriesOf(socket.frames).length;
  expect(sentBeforeRead).toBeLessThan(1_200);
  journal.append(turnId, "s1", { type: "stderr", text: "appended while the replay waits" });
  while (entriesOf(socket.frames).length < 1_201) {
    socket.read();
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  journal.append(turnId, "s1", { type: "stderr", text: "live" });
  expect(entriesOf(socket.frames)).toEqual(Array.from({ length: 1_202 }, (_, i) => i + 1));
  expect(socket.closed).toEqual([]);
  stream.close();
});

it("closes a live follower that stops reading with 4008, once, and stops sending to it", () => {
  const { journal, bus } = journalWith(0);
  const events: KonsoleEvent[] = [];
  bus.onAny((event) => events.push(event));
  const socket = stalledSocket();
  const stream = new JournalStream(journal, socket.sink, { maxBufferedBytes: 5_000, drainTimeoutMs: 60_000 }, bus);
  stream.handle(JSON.stringify({ type: "subscribe", after: 0 }));
  for (let i = 0; i < 200; i++) journal.append(turnId, "s1", { type: "stderr", text: "y".repeat(100) });
  expect(socket.closed).toEqual([{ code: KonsoleCloseCode.too_slow, reason: expect.stringContaining("too slow") }]);
  expect(socket.unsent()).toBeLessThan(5_000 + 1_000);
  const sent = socket.frames.length;
  journal.append(turnId, "s1", { type: "stderr", text: "after the drop" });
  expect(socket.frames).toHaveLength(sent);
  stream.close();
  expect(events.filter((event) => event.type.startsWith("stream."))).toEqual([
    { type: "stream.opened" },
    { type: "stream.closed", dropped: true },
  ]);
});

it("drops a replay whose socket never drains", async () => {
  const { journal, bus } = journalWith(600);
  const socket = stalledSocket();
  const stream = new JournalStream(journal, socket.sink, { maxBufferedBytes: 10_000, drainTimeoutMs: 50 }, bus);
  stream.handle(JSON.stringify({ type: "subscribe", after: 0 }));
  while (socket.closed.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(socket.closed[0]?.code).toBe(KonsoleCloseCode.too_slow);
  expect(entriesOf(socket.frames).length).toBeLessThan(600);
  stream.close();
});
