import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Turn } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { loopForever, memory, toolCall } from "../../../test/support/messages-api.ts";
import { processGroupAlive } from "../src/claude/process-group.ts";
import { findTaggedProcesses } from "../src/claude/process-tag.ts";
import { parseConfig } from "../src/config.ts";
import { start } from "../src/index.ts";
import { silentLogger } from "../src/logger.ts";
import { isFinished, isRunning, SERVICE_TOKEN } from "./support/konsole-harness.ts";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

const h = useKonsoleHarness();

describe("guardrails", () => {
  it("fails a turn that hits max turns with the exact message", async () => {
    h.api.setScenario(loopForever());
    const turn = await h.runTurn("max-turns", { text: "loop forever please", maxTurns: 2 });
    expect(turn.status).toBe("failed");
    expect(turn.error).toEqual({
      code: "max_turns",
      message:
        "Task exceeded turn limit: Reached maximum number of turns (2). Consider increasing max_turns_task in guardrails or breaking into smaller subtasks.",
    });
    expect(turn.figures?.toolCallCount).toBeGreaterThanOrEqual(2);
    expect(turn.figures?.costUsd).toBeGreaterThan(0);
  }, 240_000);

  it("stops a turn at its execution timeout and ends its process group", async () => {
    // A tool call that never ends by itself: only the timeout can end this turn, whenever it fires
    // (while the process starts, or in the tool call on a fast machine). What a turn stopped in the
    // middle of its tool calls keeps is checked by the interrupt test, which waits for them.
    // Not `sleep 300`: the CLI refuses a standalone long sleep as a tool_use_error at once.
    h.api.setScenario(toolCall("Bash", { command: "tail -f /dev/null", description: "wait forever" }));
    const turn = await h.runTurn("timeout", { text: "sleep forever please", maxTurns: 500, executionTimeoutSec: 2 });
    expect(turn.status).toBe("failed");
    expect(turn.error?.code).toBe("timeout");
    expect(turn.error?.message).toMatch(/execution timeout of 2 s/);
    expect(turn.recovered).toBe(false);
    expect(turn.figures).not.toBeNull();
    await expect.poll(() => processGroupAlive(turn.pid ?? 0), { timeout: 60_000 }).toBe(false);
    const processId = h.konui.issued.find((entry) => entry.request.sessionId === "timeout")?.request.processId ?? "";
    await expect.poll(() => findTaggedProcesses(processId), { timeout: 60_000 }).toEqual([]);
  }, 240_000);

  it("interrupts a running turn on request", async () => {
    h.api.setScenario(loopForever());
    const { turn } = await h.startTurn("interrupt", { text: "loop forever please", maxTurns: 500 });
    await h.waitForStatus(turn.id, isRunning);
    await h.waitForToolCalls(turn.id, 2);
    const response = await h.request("POST", `/turns/${turn.id}/interrupt`);
    expect(response.status).toBe(200);
    const stopped = (await response.json()) as Turn;
    expect(stopped.status).toBe("failed");
    expect(stopped.error?.code).toBe("interrupted");
    expect(stopped.figures?.toolCallCount).toBeGreaterThanOrEqual(2);
    await expect.poll(() => processGroupAlive(stopped.pid ?? 0), { timeout: 60_000 }).toBe(false);

    const again = await h.request("POST", `/turns/${turn.id}/interrupt`);
    expect(again.status).toBe(409);
  }, 240_000);

  it("leaves no orphan behind a tool call that starts a background sleep", async () => {
    h.api.setScenario(toolCall("Bash", { command: "echo started in $PWD; sleep 300 &", description: "background sleep" }));
    const turn = await h.runTurn("orphan", { text: "start a background job" });
    expect(turn.status).toBe("succeeded");
    expect(turn.reply).toContain("started");
    const processId = h.konui.issued.find((entry) => entry.request.sessionId === "orphan")?.request.processId ?? "";
    await expect.poll(() => processGroupAlive(turn.pid ?? 0), { timeout: 60_000 }).toBe(false);
    await expect.poll(() => findTaggedProcesses(processId), { timeout: 60_000 }).toEqual([]);
  }, 240_000);
});

describe("process tokens", () => {
  it("hands the child its own process token and revokes it after", async () => {
    h.api.setScenario(toolCall("Bash", { command: "echo token=$KONUI_TOKEN url=$KONUI_URL", description: "show token" }));
    const turn = await h.runTurn("token-1", { text: "show me your token", userId: "user-7" });
    const issued = h.konui.issued.filter((entry) => entry.request.sessionId === "token-1");
    expect(issued).toHaveLength(1);
    const [record] = issued;
    expect(record?.request.userId).toBe("user-7");
    expect(turn.reply).toContain(`token=${record?.token.token}`);
    expect(turn.reply).toContain(`url=${h.konui.url}`);
    expect(h.konui.authorizations.every((header) => header === `Bearer ${SERVICE_TOKEN}`)).toBe(true);
    await expect.poll(() => record?.revokedAt, { timeout: 60_000 }).not.toBeNull();
  }, 240_000);

  it("fails the turn with token_unavailable when konui cannot be reached", async () => {
    h.api.setScenario(memory());
    const dataDir = mkdtempSync(path.join(tmpdir(), "konsole-nokonui-"));
    const konsole = await start(parseConfig({ ...h.konsoleEnv, KONUI_URL: "http://127.0.0.1:9", KONSOLE_DATA_DIR: dataDir }), {
      logger: silentLogger,
    });
    try {
      const response = await fetch(`${konsole.url}/sessions/no-konui/turns?wait=true`, {
        method: "POST",
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ userId: "u1", text: "hello" }),
      });
      const turn = (await response.json()) as Turn;
      expect(isFinished(turn)).toBe(true);
      expect(turn.status).toBe("failed");
      expect(turn.error?.code).toBe("token_unavailable");
      expect(turn.error?.message).toContain("http://127.0.0.1:9");
      expect(turn.pid).toBeNull();
    } finally {
      await konsole.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
