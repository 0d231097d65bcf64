import type { Turn, TurnError } from "@kon/protocol";
import { claudeCredentialsOf } from "../claude/credentials.ts";
import { transcriptPath, transcriptTurnCostUsd } from "../claude/transcript.ts";
import type { TurnAccumulator } from "../claude/turn-accumulator.ts";
import { buildTurnFigures } from "../claude/turn-figures.ts";
import type { TurnLimits } from "../journal/turn-store.ts";
import type { Logger } from "../logger.ts";
import { updateTurn, type SupervisorDeps } from "./deps.ts";
import type { PromptAttempt } from "./turn-job.ts";
import { isMemoryLoss, judgeTurn, type StopReason, type TurnEnd } from "./turn-verdict.ts";

/** Everything a turn's end says, from a live prompt or from the journal of one konsole restarted under. */
export interface TurnClosing {
  turnId: string;
  sessionId: string;
  limits: TurnLimits | null;
  end: TurnEnd;
  accumulator: TurnAccumulator;
  endedAt: number;
  stderr: string;
  stopReason: StopReason | null;
  /** The conversation the prompt ran in (null: konsole never learned it). */
  claudeSessionId: string | null;
  /** The prompt started that conversation; null when not known (a turn recovered after a restart). */
  newConversation: boolean | null;
  cwd: string | null;
  memoryLost: boolean;
}

/**
 * The one place a turn that ran is closed, cold, hot or after a restart: its figures, its
 * verdict, the session's conversation and what it cost so far, then the turn row and journal.
 */
export async function closeTurn(deps: SupervisorDeps, closing: TurnClosing): Promise<Turn> {
  const { accumulator } = closing;
  const claudeSessionId = accumulator.claudeSessionId ?? closing.claudeSessionId;
  const previousTotalUsd = claudeSessionId ? deps.sessions.lastConversationTotal(claudeSessionId) : undefined;
  const newConversation = closing.newConversation ?? previousTotalUsd === undefined;
  const transcriptCostUsd =
    claudeSessionId && closing.cwd
      ? await transcriptTurnCostUsd(
          transcriptPath(deps.config.childEnv, closing.cwd, claudeSessionId),
          accumulator,
          newConversation ? 0 : previousTotalUsd,
        )
      : undefined;
  const figures = {
    ...buildTurnFigures(accumulator, closing.endedAt, { previousTotalUsd, newConversation, transcriptCostUsd }),
    credentials: claudeCredentialsOf(deps.config.childEnv),
  };
  const verdict = judgeTurn(closing.end, accumulator, { limits: closing.limits, stopReason: closing.stopReason, stderr: closing.stderr });
  const result = closing.end.kind === "result" ? closing.end.result : accumulator.result;
  if (claudeSessionId && result) deps.sessions.recordConversationTotal(claudeSessionId, result.total_cost_usd);
  // The conversation is kept once the CLI has named it: it exists and can be resumed.
  if (accumulator.claudeSessionId) deps.sessions.setConversation(closing.sessionId, accumulator.claudeSessionId, closing.cwd ?? undefined);
  return updateTurn(deps, closing.turnId, {
    status: verdict.status,
    reply: verdict.reply,
    errorCode: verdict.error?.code ?? null,
    errorMessage: verdict.error?.message ?? null,
    recovered: verdict.recovered,
    memoryLost: closing.memoryLost,
    claudeSessionId,
    figures,
    finishedAt: new Date().toISOString(),
  });
}

/** Closes a turn that never ran a prompt to its end (refused, never started, or its process could not be had). */
export function failTurn(deps: Pick<SupervisorDeps, "turns" | "journal">, turnId: string, error: TurnError): Turn {
  return updateTurn(deps, turnId, {
    status: "failed",
    errorCode: error.code,
    errorMessage: error.message,
    finishedAt: new Date().toISOString(),
  });
}

/**
 * The one rule for a resumed conversation whose transcript is gone: the prompt runs once more
 * as a new conversation, and the turn is marked `memoryLost` (the visible log stays).
 */
export async function rerunOnMemoryLoss(
  first: PromptAttempt,
  resumed: boolean,
  stopRequested: boolean,
  logger: Logger,
  rerun: () => Promise<PromptAttempt>,
): Promise<PromptAttempt> {
  if (!resumed || stopRequested || !isMemoryLoss(first.outcome, first.stderr)) return first;
  logger.warn({ claudeSessionId: first.conversation.claudeSessionId }, "transcript gone; re-running as a new conversation");
  return { ...(await rerun()), memoryLost: true };
}
