// konsole's pre-warmed pool with konui's pool process tokens, both services for real with the
// real CLI: the pool process starts with a token that grants nothing, the first message of a
// new session claims it (konsole binds the token), the agent creates a kontask with that token,
// the pool refills, and the token dies with its session.

import fs from "node:fs";
import path from "node:path";
import type { HotProcessStatus, HotStatus, Kontask, KontaskPage, SessionStats, Turn, Whoami } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKontaskWithOwnToken } from "./kontask-scenario.ts";
import { eventually, startStack, type Stack } from "./stack.ts";

let stack: Stack;
let tokenFile: string;

beforeAll(async () => {
  stack = await startStack({
    scenario: (home) => {
      tokenFile = path.join(home.root, "konui-token");
      return createKontaskWithOwnToken(tokenFile);
    },
    konsoleEnv: { KONSOLE_HOT_POOL_SIZE: "1", KONSOLE_HOT_SETTLE_MS: "300" },
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function hotStatus(): Promise<HotStatus> {
  const res = await stack.call<HotStatus>("GET", "/api/konsole/hot");
  expect(res.status).toBe(200);
  return res.body;
}

/** The pool's one warm process no session has claimed, once there is one (other than `not`). */
function warmPoolProcess(not?: HotProcessStatus): Promise<HotProcessStatus> {
  return eventually("a warm pool process", async () =>
    (await hotStatus()).processes.find((p) => p.sessionId === null && p.state === "idle" && p.pid !== not?.pid),
  );
}

async function stats(): Promise<SessionStats> {
  return (await stack.call<SessionStats>("GET", "/api/sessions/stats")).body;
}

/** Sends the first message of a new session and checks the pool process `warm` served it. */
async function claimWith(warm: HotProcessStatus): Promise<{ sessionId: string; processToken: string }> {
  const sessionId = await stack.newSession();
  const sent = await stack.send(sessionId, "Please create a kontask");
  expect(sent.message.status).toBe("complete");
  expect(sent.message.text).toContain("HTTP 201");
  expect(sent.message.claudeSessionId).toBe(warm.claudeSessionId);
  const turn = await stack.callKonsole<Turn>("GET", `/turns/${sent.turnId}`);
  expect(turn.body).toMatchObject({ mode: "hot", pid: warm.pid, claudeSessionId: warm.claudeSessionId });

  const page = await stack.call<KontaskPage>("GET", `/api/kontasks?createdBy=claude&session=${sessionId}`);
  expect(page.body.kontasks.map((k: Kontask) => k.title)).toEqual(["Made by Claude"]);
  const processToken = fs.readFileSync(tokenFile, "utf8");
  const who = await stack.call<Whoami>("GET", "/api/me", undefined, processToken);
  expect(who.body).toMatchObject({ kind: "process", sessionId });
  return { sessionId, processToken };
}

describe("konsole's hot pool with konui's pool process tokens", () => {
  it("serves a new session from the warm pool, binds its token, refills, and refuses the token with its session", async () => {
    const first = await warmPoolProcess();
    expect(await stats()).toMatchObject({ claudeSessions: 0, poolTokens: 1 });

    const a = await claimWith(first);
    const refilled = await warmPoolProcess(first);
    expect(refilled.claudeSessionId).not.toBe(first.claudeSessionId);
    const status = await hotStatus();
    expect(status.processes.find((p) => p.pid === first.pid)).toMatchObject({ sessionId: a.sessionId, prompts: 1 });
    expect(await stats()).toMatchObject({ claudeSessions: 1, poolTokens: 1 });

    expect((await stack.call("POST", `/api/agents/claude/sessions/${a.sessionId}/reset`)).status).toBe(200);
    expect((await stack.call("GET", "/api/me", undefined, a.processToken)).status).toBe(401);

    const b = await claimWith(refilled);
    expect(b.processToken).not.toBe(a.processToken);
    expect((await stack.call("DELETE", `/api/agents/claude/sessions/${b.sessionId}`)).status).toBe(204);
    expect((await stack.call("GET", "/api/me", undefined, b.processToken)).status).toBe(401);
    expect(await stats()).toMatchObject({ claudeSessions: 0 });
  });
});
