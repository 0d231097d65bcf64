import type { ResultEvent, TurnError, TurnErrorCode } from "@kon/protocol";
import { howItEnded } from "../claude/claude-process.ts";
import { isMissingCredentials, NO_CREDENTIALS_HINT } from "../claude/credentials.ts";
import type { PromptOutcome } from "../claude/prompt-run.ts";
import type { TurnAccumulator } from "../claude/turn-accumulator.ts";

export type StopReason = Extract<TurnErrorCode, "interrupted" | "timeout" | "session_ended" | "supervisor_restarted">;

export interface TurnVerdict {
  status: "succeeded" | "failed";
  reply: string | null;
  error: TurnError | null;
  recovered: boolean;
}

export interface VerdictContext {
  maxTurns: number;
  stopReason: StopReason | null;
  executionTimeoutSec: number | undefined;
  stderr: string;
}

function maxTurnsMessage(maxTurns: number | undefined): string {
  return (
    `Task exceeded turn limit: Reached maximum number of turns (${maxTurns ?? "?"}). ` +
    "Consider increasing max_turns_task in guardrails or breaking into smaller subtasks."
  );
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
      return `Turn exceeded its execution timeout of ${context.executionTimeoutSec ?? "?"} s and was stopped.`;
    case "interrupted":
      return "Turn was interrupted.";
    case "session_ended":
      return "The session was ended while this turn ran.";
    case "supervisor_restarted":
      return "konsole shut down while this turn ran.";
  }
}

function resultError(result: ResultEvent, maxTurns: number | undefined): TurnError {
  if (isMissingCredentials([...(result.errors ?? []), result.result ?? ""].join(" "))) return { code: "claude_error", message: NO_CREDENTIALS_HINT };
  if (result.subtype === "error_max_turns") {
    const cap = /maximum number of turns \((\d+)\)/.exec((result.errors ?? []).join(" "))?.[1];
    return { code: "max_turns", message: maxTurnsMessage(cap === undefined ? maxTurns : Number(cap)) };
  }
  const detail = (result.errors ?? []).join("; ") || result.result || `claude ended with ${result.subtype}`;
  return { code: "claude_error", message: detail };
}

function stderrTail(stderr: string): string {
  const tail = stderr.trim().slice(-500);
  return tail.length > 0 ? `: ${tail}` : "";
}

function judgeResult(result: ResultEvent, accumulated: string, maxTurns: number | undefined): TurnVerdict {
  if (!result.is_error) return { status: "succeeded", reply: result.result ?? accumulated, error: null, recovered: false };
  const error = resultError(result, maxTurns);
  // The CLI's own words ("Please run /login") tell a konsole operator nothing they can do.
  const reply = error.message === NO_CREDENTIALS_HINT ? null : accumulated || null;
  return { status: "failed", reply, error, recovered: false };
}

export const RESTARTED_DURING_TURN = "konsole restarted during this turn";

/**
 * A turn whose konsole died under it, judged at the next start from its journal: by its result
 * line when one was journaled; otherwise it failed, keeping whatever it had said. It is not
 * `recovered`: the process was killed, not one that finished without printing its result.
 */
export function judgeAfterRestart(accumulator: TurnAccumulator): TurnVerdict {
  const accumulated = accumulator.text;
  // The cap the turn ran under is not kept; the CLI names it in its error.
  if (accumulator.result) return judgeResult(accumulator.result, accumulated, undefined);
  return {
    status: "failed",
    reply: accumulated.length > 0 ? accumulated : null,
    error: { code: "supervisor_restarted", message: RESTARTED_DURING_TURN },
    recovered: false,
  };
}

/** What a prompt's output means for its turn. */
export function judgeTurn(outcome: PromptOutcome, context: VerdictContext): TurnVerdict {
  const accumulated = outcome.accumulator.text;
  const end = outcome.end;
  if (context.stopReason) {
    const reply = end.kind === "result" ? (end.result.result ?? accumulated) : accumulated;
    return {
      status: "failed",
      reply: reply.length > 0 ? reply : null,
      error: { code: context.stopReason, message: stopMessage(context.stopReason, context) },
      // Stopped on purpose, not a lost result line.
      recovered: false,
    };
  }
  if (end.kind === "result") return judgeResult(end.result, accumulated, context.maxTurns);
  if (outcome.accumulator.saidAnything) return { status: "succeeded", reply: accumulated, error: null, recovered: true };
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
