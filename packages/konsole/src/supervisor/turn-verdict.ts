import type { ResultEvent, TurnBudget, TurnError, TurnErrorCode } from "@kon/protocol";
import { howItEnded } from "../claude/claude-process.ts";
import { isMissingCredentials, NO_CREDENTIALS_HINT } from "../claude/credentials.ts";
import type { PromptEnd, PromptOutcome } from "../claude/prompt-run.ts";
import type { TurnAccumulator } from "../claude/turn-accumulator.ts";
import type { TurnLimits } from "../journal/turn-store.ts";

export type StopReason = Extract<TurnErrorCode, "interrupted" | "timeout" | "session_ended" | "supervisor_restarted" | "budget_exceeded">;

/** How a prompt's output ended: at its result, with the process gone first, or with konsole restarted under it. */
export type TurnEnd = PromptEnd | { kind: "restarted" };

export interface TurnVerdict {
  status: "succeeded" | "failed";
  reply: string | null;
  error: TurnError | null;
  recovered: boolean;
}

export interface VerdictContext {
  /** What the turn ran under; null for a turn stored before limits were kept. */
  limits: TurnLimits | null;
  stopReason: StopReason | null;
  stderr: string;
}

function maxTurnsMessage(maxTurns: number | undefined): string {
  return (
    `Task exceeded turn limit: Reached maximum number of turns (${maxTurns ?? "?"}). ` +
    "Consider increasing max_turns_task in guardrails or breaking into smaller subtasks."
  );
}

const usd = (amount: number): string => `$${Number(amount.toFixed(4))}`;

function budgetMessage(budget: TurnBudget | null | undefined): string {
  if (!budget) return "Turn stopped by its budget (--max-budget-usd).";
  return `Turn stopped by ${budget.description}: ${usd(budget.remainingUsd)} was left for it.`;
}

const MEMORY_LOST = /No conversation found with session ID/i;

/** The resumed conversation's transcript is gone. */
export function isMemoryLoss(outcome: PromptOutcome, stderr: string): boolean {
  if (outcome.end.kind !== "result") return MEMORY_LOST.test(stderr) && !outcome.accumulator.saidAnything;
  const result = outcome.end.result;
  return result.is_error && ((result.errors ?? []).some((error) => MEMORY_LOST.test(error)) || MEMORY_LOST.test(result.result ?? ""));
}

function stopMessage(reason: StopReason, context: VerdictContext): string {
  switch (reason) {
    case "timeout":
      return `Turn exceeded its execution timeout of ${context.limits?.executionTimeoutSec ?? "?"} s and was stopped.`;
    case "interrupted":
      return "Turn was interrupted.";
    case "session_ended":
      return "The session was ended while this turn ran.";
    case "supervisor_restarted":
      return "konsole shut down while this turn ran.";
    case "budget_exceeded":
      return budgetMessage(context.limits?.budget);
  }
}

function resultError(result: ResultEvent, limits: TurnLimits | null): TurnError {
  if (isMissingCredentials([...(result.errors ?? []), result.result ?? ""].join(" "))) return { code: "claude_error", message: NO_CREDENTIALS_HINT };
  if (result.subtype === "error_max_turns") {
    const cap = /maximum number of turns \((\d+)\)/.exec((result.errors ?? []).join(" "))?.[1];
    return { code: "max_turns", message: maxTurnsMessage(cap === undefined ? limits?.maxTurns : Number(cap)) };
  }
  if (result.subtype === "error_max_budget_usd") return { code: "budget_exceeded", message: budgetMessage(limits?.budget) };
  const detail = (result.errors ?? []).join("; ") || result.result || `claude ended with ${result.subtype}`;
  return { code: "claude_error", message: detail };
}

function stderrTail(stderr: string): string {
  const tail = stderr.trim().slice(-500);
  return tail.length > 0 ? `: ${tail}` : "";
}

function judgeResult(result: ResultEvent, accumulated: string, limits: TurnLimits | null): TurnVerdict {
  if (!result.is_error) return { status: "succeeded", reply: result.result ?? accumulated, error: null, recovered: false };
  const error = resultError(result, limits);
  // The CLI's own words ("Please run /login") tell a konsole operator nothing they can do.
  const reply = error.message === NO_CREDENTIALS_HINT ? null : accumulated || null;
  return { status: "failed", reply, error, recovered: false };
}

const RESTARTED_DURING_TURN = "konsole restarted during this turn";

/** Every model turn it was allowed ran its tools: the CLI was at its cap, whether or not its result was seen. */
function usedAllTurns(accumulator: TurnAccumulator, limits: TurnLimits | null): boolean {
  return limits !== null && accumulator.completedToolRounds >= limits.maxTurns;
}

/**
 * What a turn's output means, however it ended: a live prompt's result or lost result, or a turn
 * konsole restarted under, judged at the next start from its journal. A turn without its result
 * is `recovered` when its process ended on its own, not when konsole died under it.
 */
export function judgeTurn(end: TurnEnd, accumulator: TurnAccumulator, context: VerdictContext): TurnVerdict {
  const accumulated = accumulator.text;
  const saidSomething = (reply: string): string | null => (reply.length > 0 ? reply : null);
  // A turn that had finished well when its last message crossed its budget is over, not stopped.
  const finishedAnyway = context.stopReason === "budget_exceeded" && end.kind === "result" && !end.result.is_error;
  if (context.stopReason && !finishedAnyway) {
    const reply = end.kind === "result" ? (end.result.result ?? accumulated) : accumulated;
    return {
      status: "failed",
      reply: saidSomething(reply),
      error: { code: context.stopReason, message: stopMessage(context.stopReason, context) },
      // Stopped on purpose, not a lost result line.
      recovered: false,
    };
  }
  if (end.kind === "result") return judgeResult(end.result, accumulated, context.limits);
  const recovered = end.kind === "no_result";
  if (usedAllTurns(accumulator, context.limits)) {
    return { status: "failed", reply: saidSomething(accumulated), error: { code: "max_turns", message: maxTurnsMessage(context.limits?.maxTurns) }, recovered };
  }
  if (end.kind === "restarted") {
    return { status: "failed", reply: saidSomething(accumulated), error: { code: "supervisor_restarted", message: RESTARTED_DURING_TURN }, recovered: false };
  }
  if (accumulator.saidAnything) return { status: "succeeded", reply: accumulated, error: null, recovered: true };
  const exit = end.exit;
  if (exit?.spawnError) {
    return { status: "failed", reply: null, error: { code: "spawn_failed", message: `Could not start claude: ${exit.spawnError}` }, recovered: false };
  }
  const how = exit ? howItEnded(exit) : "closed its output";
  return {
    status: "failed",
    reply: null,
    error: { code: "no_output", message: `claude ${how} without any output${stderrTail(context.stderr)}` },
    recovered: false,
  };
}
