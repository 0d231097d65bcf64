import type { DashboardCloseReason, DashboardServerFrame, KonuiEvent, ToolCall } from "@kon/protocol";
import { expect, it } from "vitest";
import { createKonuiBus } from "../src/events/bus.ts";
import { LiveHub } from "../src/live/hub.ts";
import { until } from "./support/consumer-setup.ts";

const turnId = "7f0c1c1e-6d2a-4f59-9d7e-2b1f3f6c9a10";
const base = { agent: "claude", sessionId: "s1", turnId };
const audience = { userIds: ["alice"] };
const progress = (text: string, offset: number): DashboardServerFrame => ({ type: "progress", ...base, text, offset });

function watched(hub: LiveHub): DashboardServerFrame[] {
  const seen: DashboardServerFrame[] = [];
  hub.add({ userId: "alice", jti: "j", isAdmin: false, send: (frame, text) => seen.push(JSON.parse(text) as DashboardServerFrame), bufferedBytes: () => 0, end: () => {} });
  return seen;
}

it("sends the pieces of a streaming reply that come close together as one frame", async () => {
  const hub = new LiveHub({ progressWindowMs: 20 });
  const seen = watched(hub);
  hub.publish(progress("Hel", 0), audience);
  hub.publish(progress("lo, ", 3), audience);
  hub.publish(progress("world", 7), audience);
  await until(() => seen.length > 0, "the held pieces");
  expect(seen).toEqual([progress("Hello, world", 0)]);
});

it("sends held pieces before any other frame, so the order never changes", () => {
  const hub = new LiveHub({ progressWindowMs: 60_000 });
  const seen = watched(hub);
  const call: ToolCall = {
    id: "toolu_1", sessionId: "s1", turnId, name: "Bash", input: { command: "ls" }, result: null,
    resultTruncated: false, status: "running", startedAt: "2026-12-02T00:00:00.000Z", finishedAt: null,
  };
  hub.publish(progress("Let me look", 0), audience);
  hub.publish({ type: "tool", agent: "claude", sessionId: "s1", call }, audience);
  hub.publish(progress(".", 11), audience);
  hub.publish({ type: "turn", ...base, status: "succeeded" }, audience);
  expect(seen.map((f) => f.type)).toEqual(["progress", "tool", "progress", "turn"]);
  expect(seen[2]).toEqual(progress(".", 11));
});

it("keeps a piece that does not continue the held text apart", () => {
  const hub = new LiveHub({ progressWindowMs: 60_000 });
  const seen = watched(hub);
  hub.publish(progress("abc", 0), audience);
  hub.publish(progress("xyz", 10), audience);
  hub.flushProgress();
  expect(seen).toEqual([progress("abc", 0), progress("xyz", 10)]);
});

it("sends every piece at once without a window", () => {
  const hub = new LiveHub({ progressWindowMs: 0 });
  const seen = watched(hub);
  hub.publish(progress("a", 0), audience);
  hub.publish(progress("b", 1), audience);
  expect(seen).toEqual([progress("a", 0), progress("b", 1)]);
});

it("drops a client that does not read, with too_slow, and keeps serving the others", () => {
  const bus = createKonuiBus({ check: true });
  const events: KonuiEvent[] = [];
  bus.onAny((event) => events.push(event));
  const hub = new LiveHub({ maxBufferedBytes: 1_000, bus });
  let unread = 0;
  const ended: DashboardCloseReason[] = [];
  // A socket whose peer stopped reading: everything sent stays buffered.
  hub.add({
    userId: "bob", jti: "slow", isAdmin: true,
    send: (_frame, text) => (unread += text.length),
    bufferedBytes: () => unread,
    end: (reason) => ended.push(reason),
  });
  const seen = watched(hub);
  for (let offset = 0; offset < 100; offset++) hub.publish(progress("x".repeat(100), offset * 100), audience);
  expect(ended).toEqual(["too_slow"]);
  expect(unread).toBeLessThan(1_000 + 300);
  expect(seen).toHaveLength(100);
  expect(hub.size).toBe(1);
  expect(events.filter((event) => event.type === "live.closed")).toEqual([{ type: "live.closed", userId: "bob", cause: "too_slow" }]);
});
