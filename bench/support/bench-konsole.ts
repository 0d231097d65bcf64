// What the konsole benchmarks share: medians, konsole's own test harness (in-process, against
// the instant Messages API stand-in and a konui stand-in), and the CLI run directly beside it.

import type { Scenario } from "@kon/e2e/support/messages-api";
import { startClaude, type ClaudeProcess } from "@kon/e2e/support/run-claude";
import { buildClaudeArgs, type Conversation } from "@kon/konsole/claude/args";
import { SERVICE_TOKEN, startKonsoleHarness, type KonsoleHarness } from "../../packages/konsole/test/support/konsole-harness.ts";

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * The median of the per-round differences `through[i] - direct[i]`: steadier on a busy machine
 * than the difference of two medians. NaN when the rounds do not pair up.
 */
export const pairedMedian = (through: readonly number[], direct: readonly number[]): number =>
  through.length === direct.length ? median(through.map((value, round) => value - (direct[round] ?? Number.NaN))) : Number.NaN;

/** Ends a CLI run directly: stdin closed, its exit awaited, then whatever is left of its group killed. */
export async function endDirect(claude: ClaudeProcess): Promise<void> {
  claude.endInput();
  await claude.exited;
  await claude.kill();
}

export interface BenchKonsole extends Pick<KonsoleHarness, "konsole" | "home" | "stop"> {
  serviceToken: string;
  /**
   * The CLI run directly beside konsole, with the arguments konsole would give it (its default
   * tools) and the environment a konsole child gets, in the Claude home's project folder.
   */
  startDirect(conversation: Conversation, maxTurns: number): ClaudeProcess;
  call(method: string, route: string, body?: unknown): Promise<Response>;
}

/** konsole's own test harness, plus the direct CLI runs a benchmark compares it with. */
export async function startBenchKonsole(scenario: Scenario, env: Record<string, string> = {}): Promise<BenchKonsole> {
  const harness = await startKonsoleHarness({ scenario, env });
  const { config, home } = harness;
  return {
    konsole: harness.konsole,
    home,
    serviceToken: SERVICE_TOKEN,
    startDirect: (conversation, maxTurns) =>
      startClaude({
        baseArgs: [],
        args: buildClaudeArgs({ conversation, maxTurns, permissionMode: config.defaultPermissionMode, allowedTools: config.defaultAllowedTools }),
        env: home.env(harness.api.url),
        cwd: home.cwd,
      }),
    call: (method, route, body) => harness.request(method, route, body),
    stop: () => harness.stop(),
  };
}
