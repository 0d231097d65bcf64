// A turn with a budget: konsole hands the CLI `--max-budget-usd` and, should the CLI not hold
// the line itself, stops the turn (interrupt, then end) once its priced usage passes it.

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noopBash, toolUseReply } from "../../../test/support/messages-api.ts";
import { writeFaultWrapper } from "./support/fault-wrappers.ts";
import { startKonsoleHarness, type KonsoleHarness } from "./support/konsole-harness.ts";

const usage = { input_tokens: 2_000, output_tokens: 4_000 };
let h: KonsoleHarness;
let wrapper: string;

beforeAll(async () => {
  wrapper = writeFaultWrapper("ignore-budget");
  h = await startKonsoleHarness({ scenario: () => toolUseReply("Bash", { ...noopBash }, { usage }), env: { CLAUDE_BIN: wrapper } });
}, 240_000);

afterAll(async () => {
  await h?.stop();
});

describe("a turn past its budget", () => {
  it("is stopped by konsole when the CLI does not stop it, and says which budget stopped it", async () => {
    // One reply of this usage, priced like the CLI prices it (the turn-limit turn tells).
    const probe = await h.runTurn("probe", { text: "loop forever please", maxTurns: 1 });
    const oneReplyUsd = probe.figures?.costUsd ?? 0;
    expect(oneReplyUsd).toBeGreaterThan(0);

    const budget = { name: "session" as const, remainingUsd: oneReplyUsd * 2.5, description: "the per-session budget of $1 ($0.9 spent in this session)" };
    const turn = await h.runTurn("budgeted", { text: "loop forever please", maxTurns: 50, budget });
    const args = readFileSync(path.join(path.dirname(wrapper), "args"), "utf8").split("\n");
    expect(args[args.indexOf("--max-budget-usd") + 1]).toBe(String(Math.round(budget.remainingUsd * 1e6) / 1e6));
    expect(turn.status).toBe("failed");
    expect(turn.error).toEqual({
      code: "budget_exceeded",
      message: `Turn stopped by the per-session budget of $1 ($0.9 spent in this session): $${Number(budget.remainingUsd.toFixed(4))} was left for it.`,
    });
    expect(turn.figures?.costUsd ?? 0).toBeGreaterThanOrEqual(budget.remainingUsd);
    // Stopped at the line, far from its turn limit.
    expect(turn.figures?.toolCallCount ?? 0).toBeLessThan(6);
  }, 240_000);
});
