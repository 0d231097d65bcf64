import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processGroupAlive } from "../src/claude/process-group.ts";
import { writeFaultWrapper } from "./support/fault-wrappers.ts";
import { startKonsoleHarness, type KonsoleHarness } from "./support/konsole-harness.ts";

describe("a process that ends without a result line", () => {
  let swallowing: KonsoleHarness;
  let crashing: KonsoleHarness;

  beforeAll(async () => {
    [swallowing, crashing] = await Promise.all([
      startKonsoleHarness({ env: { CLAUDE_BIN: writeFaultWrapper("swallow-result") } }),
      startKonsoleHarness({ env: { CLAUDE_BIN: writeFaultWrapper("crash-mid-stream") } }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([swallowing?.stop(), crashing?.stop()]);
  });

  it("completes the turn from what it said, with its cost from usage", async () => {
    const turn = await swallowing.runTurn("swallowed", { text: "Remember 3" });
    expect(turn.status).toBe("succeeded");
    expect(turn.recovered).toBe(true);
    expect(turn.reply).toBe("OK");
    expect(turn.figures?.costSource).toBe("usage");
    expect(turn.figures?.costUsd).toBeGreaterThan(0);
    expect(turn.figures?.tokens.input).toBeGreaterThan(0);
    expect(turn.claudeSessionId).toBeTruthy();
  }, 240_000);

  it("keeps the conversation of a recovered turn for the next one", async () => {
    const turn = await swallowing.runTurn("swallowed", { text: "What number?" });
    expect(turn.recovered).toBe(true);
    expect(turn.reply).toBe("The number is 3");
  }, 240_000);

  it("recovers a turn whose process was killed mid-stream", async () => {
    const turn = await crashing.runTurn("crashed", { text: "Remember 4" });
    expect(turn.status).toBe("succeeded");
    expect(turn.recovered).toBe(true);
    expect(turn.reply).toBe("OK");
    expect(turn.figures?.costUsd).toBeGreaterThan(0);
    await expect.poll(() => processGroupAlive(turn.pid ?? 0), { timeout: 60_000 }).toBe(false);
  }, 240_000);
});
