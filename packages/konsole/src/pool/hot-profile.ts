import type { PermissionMode, StartTurnParams } from "@kon/protocol";
import type { KonsoleConfig } from "../config.ts";

/** What a hot process was started with that a prompt cannot change afterwards. */
export interface HotProfile {
  maxTurns: number;
  permissionMode: PermissionMode | undefined;
  allowedTools: readonly string[];
  /**
   * `--max-budget-usd` as the CLI reads it: a cap on the conversation's running total (it carries
   * over across resumes), so the total so far plus what the turn's budget has left.
   */
  maxBudgetUsd?: number | undefined;
}

/** The turn's profile; `conversationTotalUsd` is what the conversation it continues has cost so far (0 for a new one). */
export function profileOfTurn(params: StartTurnParams, config: KonsoleConfig, conversationTotalUsd = 0): HotProfile {
  return {
    maxTurns: params.maxTurns,
    permissionMode: params.permissionMode ?? config.defaultPermissionMode,
    allowedTools: params.allowedTools ?? config.defaultAllowedTools,
    ...(params.budget ? { maxBudgetUsd: roundUsd(conversationTotalUsd + params.budget.remainingUsd) } : {}),
  };
}

const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6;

/**
 * A process started under `running` can take a prompt that wants `wanted`: the same flags, and a
 * budget cap that is there exactly when one is wanted and no lower (konsole stops a turn at its
 * own line; a cap the CLI holds higher than that does no harm, a lower one would stop it early).
 */
export function profileFits(running: HotProfile, wanted: HotProfile): boolean {
  if (!sameProfile(running, wanted)) return false;
  if (wanted.maxBudgetUsd === undefined || running.maxBudgetUsd === undefined) return wanted.maxBudgetUsd === running.maxBudgetUsd;
  return running.maxBudgetUsd >= wanted.maxBudgetUsd;
}

export function poolProfile(config: KonsoleConfig): HotProfile {
  return { maxTurns: config.hotPoolMaxTurns, permissionMode: config.defaultPermissionMode, allowedTools: config.defaultAllowedTools };
}

export function sameProfile(a: HotProfile, b: HotProfile): boolean {
  return (
    a.maxTurns === b.maxTurns &&
    a.permissionMode === b.permissionMode &&
    a.allowedTools.length === b.allowedTools.length &&
    a.allowedTools.every((tool, i) => tool === b.allowedTools[i])
  );
}
