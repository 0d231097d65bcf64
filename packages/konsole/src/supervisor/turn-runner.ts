import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { buildUserMessage, type StartTurnParams, type Turn, type TurnError } from "@kon/protocol";
import { buildClaudeArgs, type Conversation } from "../claude/args.ts";
import { claudeConfigDir, lastTranscriptCostUsd, transcriptPath } from "../claude/transcript.ts";
import type { PromptOutcome } from "../claude/prompt-run.ts";
import { buildTurnFigures } from "../claude/turn-figures.ts";
import { TokenUnavailableError } from "../tokens/process-token-client.ts";
import { runColdPrompt, type ColdPrompt } from "./cold-prompt.ts";
import { updateTurn, type SupervisorDeps } from "./deps.ts";
import type { TurnControl } from "./turn-control.ts";
import { isMemoryLoss, judgeTurn } from "./turn-verdict.ts";

export interface TurnJob {
  turnId: string;
  sessionId: string;
  params: StartTurnParams;
  control: TurnControl;
}

const TOKEN_TTL_MARGIN_SEC = 300;
const DEFAULT_TOKEN_TTL_SEC = 3_600;

function tokenTtlSec(params: StartTurnParams): number {
  return Math.min(86_400, (params.executionTimeoutSec ?? DEFAULT_TOKEN_TTL_SEC) + TOKEN_TTL_MARGIN_SEC);
}

/** Runs one queued turn to its end: spawn, prompt, memory-loss fallback, figures, journal. */
export async function runTurn(deps: SupervisorDeps, job: TurnJob): Promise<void> {
  const { config, sessions, journal } = deps;
  const { turnId, sessionId, params, control } = job;
  const logger = deps.logger.child({ sessionId, turnId });
  updateTurn(deps, turnId, { status: "running", startedAt: new Date().toISOString() });
  const timer =
    params.executionTimeoutSec === undefined
      ? undefined
      : setTimeout(() => void control.stop("timeout"), params.executionTimeoutSec * 1000);

  const session = sessions.get(sessionId);
  const resumeId = session?.claudeSessionId ?? null;
  const cwd = resumeId && session ? session.cwd : (params.cwd ?? session?.cwd ?? config.dataDir);
  const reaping: Promise<void>[] = [];

  const attempt = async (conversation: Conversation): Promise<ColdPrompt> => {
    await mkdir(cwd, { recursive: true });
    return runColdPrompt({
      bin: config.claudeBin,
      args: buildClaudeArgs({
        conversation,
        maxTurns: params.maxTurns,
        permissionMode: params.permissionMode ?? config.defaultPermissionMode,
        allowedTools: params.allowedTools ?? config.defaultAllowedTools,
      }),
      cwd,
      baseEnv: config.childEnv,
      konuiUrl: config.konuiUrl,
      tokens: deps.tokens,
      tokenTtlSec: tokenTtlSec(params),
      sessionId,
      userId: params.userId,
      message: buildUserMessage(params.text, params.images),
      control,
      logger,
      resultGraceMs: config.resultGraceMs,
      lingerGraceMs: config.lingerGraceMs,
      stopGraceMs: config.stopGraceMs,
      onSpawned: (process, tokenId) => {
        deps.turns.update(turnId, { pid: process.pid ?? null, processId: process.id, processTokenId: tokenId, claudeSessionId: conversation.claudeSessionId, cwd });
        logger.debug({ pid: process.pid, conversation }, "claude spawned");
      },
      onLine: (line) => journal.append(turnId, sessionId, { type: "claude", line }),
      onStderr: (text) => journal.append(turnId, sessionId, { type: "stderr", text }),
    });
  };

  try {
    let conversation: Conversation = resumeId
      ? { kind: "resume", claudeSessionId: resumeId }
      : { kind: "new", claudeSessionId: randomUUID() };
    let memoryLost = false;
    let prompt = await attempt(conversation);
    reaping.push(prompt.reaped);
    if (conversation.kind === "resume" && !control.stopRequested && isMemoryLoss(prompt.outcome, prompt.process.stderr)) {
      logger.warn({ claudeSessionId: conversation.claudeSessionId }, "transcript gone; re-running as a new conversation");
      memoryLost = true;
      await prompt.reaped;
      conversation = { kind: "new", claudeSessionId: randomUUID() };
      prompt = await attempt(conversation);
      reaping.push(prompt.reaped);
    }
    await finishTurn(deps, job, { prompt, conversation, cwd, memoryLost });
  } catch (error) {
    const turnError: TurnError =
      error instanceof TokenUnavailableError
        ? { code: "token_unavailable", message: error.message }
        : { code: "spawn_failed", message: error instanceof Error ? error.message : String(error) };
    if (!(error instanceof TokenUnavailableError)) logger.error({ err: error }, "turn failed to run");
    failTurn(deps, turnId, control.stopReason ? { code: control.stopReason, message: turnError.message } : turnError);
  } finally {
    clearTimeout(timer);
    await Promise.allSettled(reaping);
    journal.forgetTurn(turnId);
  }
}

interface FinishedPrompt {
  prompt: ColdPrompt;
  conversation: Conversation;
  cwd: string;
  memoryLost: boolean;
}

async function costFromTranscript(
  deps: SupervisorDeps,
  outcome: PromptOutcome,
  finished: FinishedPrompt,
  previousTotal: number | undefined,
): Promise<number | undefined> {
  if (outcome.end.kind === "result" || outcome.accumulator.messageUsage.size > 0) return undefined;
  const file = transcriptPath(claudeConfigDir(deps.config.childEnv), finished.cwd, finished.conversation.claudeSessionId);
  const total = await lastTranscriptCostUsd(file);
  return total === undefined ? undefined : Math.max(0, total - (previousTotal ?? 0));
}

async function finishTurn(deps: SupervisorDeps, job: TurnJob, finished: FinishedPrompt): Promise<void> {
  const { outcome, process } = finished.prompt;
  const { conversation } = finished;
  const previousTotalUsd = deps.sessions.lastConversationTotal(conversation.claudeSessionId);
  const newConversation = conversation.kind === "new";
  const transcriptCostUsd = await costFromTranscript(deps, outcome, finished, newConversation ? 0 : previousTotalUsd);
  const figures = buildTurnFigures(outcome.accumulator, outcome.endedAt, { previousTotalUsd, newConversation, transcriptCostUsd });
  const verdict = judgeTurn(outcome, {
    maxTurns: job.params.maxTurns,
    stopReason: job.control.stopReason,
    executionTimeoutSec: job.params.executionTimeoutSec,
    stderr: process.stderr,
  });
  const claudeSessionId = outcome.accumulator.claudeSessionId ?? conversation.claudeSessionId;
  if (outcome.end.kind === "result") deps.sessions.recordConversationTotal(claudeSessionId, outcome.end.result.total_cost_usd);
  if (outcome.accumulator.claudeSessionId) deps.sessions.setConversation(job.sessionId, claudeSessionId, finished.cwd);
  updateTurn(deps, job.turnId, {
    status: verdict.status,
    reply: verdict.reply,
    errorCode: verdict.error?.code ?? null,
    errorMessage: verdict.error?.message ?? null,
    recovered: verdict.recovered,
    memoryLost: finished.memoryLost,
    claudeSessionId,
    figures,
    finishedAt: new Date().toISOString(),
  });
}

export function failTurn(deps: Pick<SupervisorDeps, "turns" | "journal">, turnId: string, error: TurnError): Turn {
  return updateTurn(deps, turnId, {
    status: "failed",
    errorCode: error.code,
    errorMessage: error.message,
    finishedAt: new Date().toISOString(),
  });
}
