import { OBSERVER_JOURNAL_SESSION_ID, OBSERVER_JOURNAL_TURN_ID, type DashboardServerFrame, type ObservedSession } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KonsoleConsumer } from "../src/konsole/consumer.ts";
import { loadCursor } from "../src/konsole/cursor-store.ts";
import { consumerOf, until } from "./support/consumer-setup.ts";
import { adminAliceBob, createHarness, type Harness } from "./support/harness.ts";
import { KonsoleWsStub } from "./support/konsole-ws-stub.ts";

// konsole's journal also carries the host observer's entries (they belong to no turn): konui's
// consumer stores its cursor past them and sends each on to the dashboards as a `host` frame,
// to admins, and to the user whose agent session the conversation belongs to.

let h: Harness;
let stub: KonsoleWsStub;
let consumer: KonsoleConsumer;
const seen = new Map<string, DashboardServerFrame[]>();

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

function watch(userId: string, isAdmin: boolean): void {
  const frames: DashboardServerFrame[] = [];
  seen.set(userId, frames);
  h.services.hub.add({ userId, jti: `${userId}-login`, isAdmin, send: (f) => frames.push(f), end: () => {} });
}
const hostFrames = (userId: string) => (seen.get(userId) ?? []).filter((f) => f.type === "host");

beforeEach(async () => {
  h = await createHarness();
  stub = await KonsoleWsStub.start();
  seen.clear();
  consumer = consumerOf(h, stub);
});
afterEach(async () => {
  await consumer.stop();
  await stub.close();
  h.close();
});

describe("KonsoleConsumer and observer entries", () => {
  it("advances its cursor past them and sends them to admins as host frames", async () => {
    watch("admin-watcher", true);
    consumer.start();
    await until(() => consumer.subscribed, "subscribe");
    stub.append(OBSERVER_JOURNAL_TURN_ID, OBSERVER_JOURNAL_SESSION_ID, { type: "observer", event: { kind: "session", session } });
    stub.append(OBSERVER_JOURNAL_TURN_ID, OBSERVER_JOURNAL_SESSION_ID, { type: "observer", event: { kind: "sessions", changed: 120 } });
    await until(() => consumer.cursor === 2, "cursor 2");
    expect(loadCursor(h.database.db)).toBe(2);
    expect(hostFrames("admin-watcher")).toEqual([
      { type: "host", event: { kind: "session", session } },
      { type: "host", event: { kind: "sessions", changed: 120 } },
    ]);
  });

  it("sends a user the changes of their own sessions' conversations only", async () => {
    const { alice } = await adminAliceBob(h);
    const aliceId = h.userId("alice");
    const bobId = h.userId("bob");
    const sessionId = await h.newSession(alice);
    // konsole runs this conversation for Alice's session (it names the session), and another one
    // is bound to her session as its current conversation.
    const bound = { ...session, id: "0f2d4c1e-0000-4000-8000-00000000000b" };
    h.services.sessions.bindConversation(sessionId, bound.id);
    watch(aliceId, false);
    watch(bobId, false);
    consumer.start();
    await until(() => consumer.subscribed, "subscribe");
    const linked = { ...session, konsoleSessionId: sessionId };
    for (const event of [
      { kind: "session" as const, session: linked },
      { kind: "session" as const, session: bound },
      { kind: "session" as const, session },
      { kind: "sessions" as const, changed: 60 },
    ]) {
      stub.append(OBSERVER_JOURNAL_TURN_ID, OBSERVER_JOURNAL_SESSION_ID, { type: "observer", event });
    }
    await until(() => consumer.cursor === 4, "cursor 4");
    expect(hostFrames(aliceId).map((f) => f.type === "host" && f.event.kind === "session" && f.event.session.id)).toEqual([
      linked.id,
      bound.id,
    ]);
    expect(hostFrames(bobId)).toEqual([]);
  });
});
