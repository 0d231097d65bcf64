// The journal as konsole's client sees it: one WebSocket on /ws subscribed to every session,
// each frame parsed with the protocol schema (as konui does).

import { performance } from "node:perf_hooks";
import { KonsoleServerFrame, type JournalEntry } from "@kon/protocol";
import WebSocket from "ws";

export interface JournalSocket {
  /** Resolves with `performance.now()` at the arrival of the first entry after this call that matches. */
  nextEntry(matches: (entry: JournalEntry) => boolean): Promise<number>;
  close(): void;
}

/** Whether the entry is model output: an `assistant` or `stream_event` line of the CLI. */
export function isModelOutput(entry: JournalEntry): boolean {
  if (entry.payload.type !== "claude" || entry.payload.line.kind !== "event") return false;
  const { type } = entry.payload.line.event;
  return type === "assistant" || type === "stream_event";
}

export async function openJournalSocket(konsoleUrl: string, serviceToken: string): Promise<JournalSocket> {
  const ws = new WebSocket(`${konsoleUrl.replace(/^http/, "ws")}/ws`, { headers: { authorization: `Bearer ${serviceToken}` } });
  const waiters = new Set<{ matches: (entry: JournalEntry) => boolean; resolve: (at: number) => void }>();
  let subscribed: () => void = () => {};
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  ws.on("message", (data: Buffer) => {
    const at = performance.now();
    const frame = KonsoleServerFrame.parse(JSON.parse(data.toString("utf8")));
    if (frame.type === "subscribed") subscribed();
    if (frame.type !== "entry") return;
    for (const waiter of waiters) {
      if (!waiter.matches(frame.entry)) continue;
      waiters.delete(waiter);
      waiter.resolve(at);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(JSON.stringify({ type: "subscribe", after: 0 }));
  await ready;
  return {
    nextEntry: (matches) => new Promise((resolve) => waiters.add({ matches, resolve })),
    close: () => {
      waiters.clear();
      ws.close();
    },
  };
}
