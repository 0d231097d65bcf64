import type { DashboardServerFrame, ToolCall } from "@kon/protocol";
import { expect, it } from "vitest";
import { LiveHub } from "../src/live/hub.ts";
import { until } from "./support/consumer-setup.ts";

const turnId = "7f0c1c1e-6d2a-4f59-9d7e-2b1f3f6c9a10";
const base = { agent: "claude", sessionId: "s1", turnId };
const audience = { userIds: ["alice"] };
const progress = (text: string, offset: number): DashboardServerFrame => ({ type: "progress", ...base, text, offset });

function watched(hub: LiveHub): DashboardServerFrame[] {
  const seen: DashboardServerFrame[] = [];
  hub.add({ userId: "alice", jti: "j", isAdmin: false, send: (frame, text) => seen.push(JSON.parse(text) as DashboardServerFrame), end: () => {} });
  return seen;
}

it("sends the pieces of a streaming reply that come close together as one frame", async () => {
  const hub = new LiveHub(20);
  const seen = watched(hub);
  hub.publish(progress("Hel", 0), audience);
  hub.publish(progress("lo, ", 3), audience);
  hub.publish(progress("world", 7), audience);
  await until(() => seen.length > 0, "the held pieces");
  expect(seen).toEqual([progress("Hello, world", 0)]);
});

it("sends held pieces before any other frame, so the order never changes", () => {
  const hub = new LiveHub(60_000);
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
  const hub = new LiveHub(60_000);
  const seen = watched(hub);
  hub.publish(progress("abc", 0), audience);
  hub.publish(progress("xyz", 10), audience);
  hub.flushProgress();
  expect(seen).toEqual([progress("abc", 0), progress("xyz", 10)]);
});

it("sends every piece at once without a window", () => {
  const hub = new LiveHub(0);
  const seen = watched(hub);
  hub.publish(progress("a", 0), audience);
  hub.publish(progress("b", 1), audience);
  expect(seen).toEqual([progress("a", 0), progress("b", 1)]);
});
