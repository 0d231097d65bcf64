import { OBSERVER_JOURNAL_SESSION_ID, OBSERVER_JOURNAL_TURN_ID, type DashboardServerFrame, type ObservedSession } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KonsoleConsumer } from "../src/konsole/consumer.ts";
import { loadCursor } from "../src/konsole/cursor-store.ts";
import { consumerOf, until } from "./support/consumer-setup.ts";
import { createHarness, type Harness } from "./support/harness.ts";
import { KonsoleWsStub } from "./support/konsole-ws-stub.ts";

// konsole's journal also carries the host observer's entries (they belong to no turn); until
// konui uses them, its consumer passes over them and keeps its cursor moving.

let h: Harness;
let stub: KonsoleWsStub;
let consumer: KonsoleConsumer;
const frames: DashboardServerFrame[] = [];

const usage = { tokens: { input: 1, output: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, costUsd: 0, messages: 1, unpricedMessages: 0 };
const session: ObservedSession = {
  id: "3f503c9c-b085-482a-856f-28d5fe7a9da0",
  projectDir: "-home-me",
  cwd: "/home/me",
  gitBranch: "main",
  title: "hello",
  models: ["claude-sonnet-4-5"],
  firstActivityAt: null,
  lastActivityAt: null,
  state: "idle",
  usage,
  sidechainUsage: usage,
  toolCalls: {},
  filesChangedCount: 0,
  konsoleSessionId: null,
};

beforeEach(async () => {
  h = await createHarness();
  stub = await KonsoleWsStub.start();
  frames.length = 0;
  h.services.hub.add({ userId: "admin-watcher", jti: "watcher", isAdmin: true, send: (f) => frames.push(f), end: () => {} });
  consumer = consumerOf(h, stub);
});
afterEach(async () => {
  await consumer.stop();
  await stub.close();
  h.close();
});

describe("KonsoleConsumer and observer entries", () => {
  it("passes over them, advancing its cursor and telling the dashboard nothing", async () => {
    consumer.start();
    await until(() => consumer.subscribed, "subscribe");
    stub.append(OBSERVER_JOURNAL_TURN_ID, OBSERVER_JOURNAL_SESSION_ID, { type: "observer", event: { kind: "session", session } });
    stub.append(OBSERVER_JOURNAL_TURN_ID, OBSERVER_JOURNAL_SESSION_ID, { type: "observer", event: { kind: "sessions", changed: 120 } });
    await until(() => consumer.cursor === 2, "cursor 2");
    expect(loadCursor(h.database.db)).toBe(2);
    expect(frames).toEqual([]);
  });
});
