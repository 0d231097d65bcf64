import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { buildUserMessage, type ClaudeLine, type StartTurnParams, type Turn, type TurnError } from "@kon/protocol";
import { buildClaudeArgs, type Conversation } from "../claude/args.ts";
import { isInitializeAnswer, type ClaudeProcess } from "../claude/claude-process.ts";
import type { PromptOutcome } from "../claude/prompt-run.ts";
import { transcriptPath, transcriptTurnCostUsd } from "../claude/transcript.ts";
import { buildTurnFigures } from "../claude/turn-figures.ts";
import type { Logger } from "../logger.ts";
import type { HotPool } from "../pool/hot-pool.ts";
import { profileOfTurn } from "../pool/hot-profile.ts";
import { HotLifeTooShortError } from "../pool/hot-spawn.ts";
import { TokenUnavailableError } from "../tokens/process-token-client.ts";
import { runColdPrompt, type ColdPrompt } from "./cold-prompt.ts";
import { updateTurn, type SupervisorDeps } from "./deps.ts";
import { runHotPrompt } from "./hot-turn.ts";
import type { PermissionGate } from "./permission-gate.ts";
import type { TurnControl } from "./turn-control.ts";
import { isMemoryLoss, judgeTurn } from "./turn-verdict.ts";
import { writeWorkspaceFiles } from "./workspace-files.ts";
export interface TurnJob {
  turnId: string;
  sessionId: string;
  params: StartTurnParams;
  control: TurnControl;
  /** Answers the CLI's tool permission requests of this turn. */
  permissions: PermissionGate;
  /** The turn stops counting as waiting: it holds its lane and a process (or a slot for one). */
  started(): void;
}

/** One prompt as it ended, with what its turn needs to be closed. */
export interface PromptAttempt {
  outcome: PromptOutcome;
  /** What the process wrote to stderr while it ran this prompt (a tail). */
  stderr: string;
  conversation: Conversation;
  cwd: string;
  memoryLost: boolean;
}

/** What a runner of either mode gets from `runTurn`. */
export interface AttemptContext {
  logger: Logger;
  /** Puts the turn's files (if any) into `<cwd>/uploads`; call before the prompt is written. */
  writeFiles(cwd: string): Promise<void>;
  /**
   * Marks the turn running on the process its prompt went to (for the API and for restart
   * recovery). Called right after the prompt is written, in the same synchronous step, so the
   * prompt is not held back by the database and no stdout line can be journaled before it.
   */
  recordProcess(process: ClaudeProcess, tokenId: string, conversation: Conversation, cwd: string): void;
  onLine(line: ClaudeLine): void;
  onStderr(text: string): void;
  /** Promises the turn waits for (after it is closed) before it lets go of its lane. */
  reaping: Promise<void>[];
}

const TOKEN_TTL_MARGIN_SEC = 300;
const DEFAULT_TOKEN_TTL_SEC = 3_600;

function tokenTtlSec(params: StartTurnParams): number {
  return Math.min(86_400, (params.executionTimeoutSec ?? DEFAULT_TOKEN_TTL_SEC) + TOKEN_TTL_MARGIN_SEC);
}

/** Runs one queued turn to its end, cold or on a hot process: prompt, figures, journal. */
export async function runTurn(deps: SupervisorDeps, job: TurnJob, pool: HotPool): Promise<void> {
  const { journal } = deps;
  const { turnId, sessionId, params, control, permissions } = job;
  const logger = deps.logger.child({ sessionId, turnId, mode: params.mode });
  // Set with the first process record: a memory-loss re-run keeps the turn's start.
  let startedAt: string | null = null;
  const timer =
    params.executionTimeoutSec === undefined
      ? undefined
      : setTimeout(() => void control.stop("timeout"), params.executionTimeoutSec * 1000);
  const context: AttemptContext = {
    logger,
    writeFiles: (cwd) => writeWorkspaceFiles(cwd, params.files),
    recordProcess: (process, tokenId, conversation, cwd) => {
      job.started();
      permissions.bind(process, cwd);
      startedAt ??= new Date().toISOString();
      updateTurn(deps, turnId, {
        status: "running",
        startedAt,
        pid: process.pid ?? null,
        processId: process.id,
        processTokenId: tokenId,
        claudeSessionId: conversation.claudeSessionId,
        cwd,
      });
      logger.debug({ pid: process.pid, conversation }, "prompt written to claude");
    },
    onLine: (line) => {
      // First, so a permission the rules decide is answered before anything is written down.
      permissions.observe(line);
      if (!isInitializeAnswer(line)) journal.append(turnId, sessionId, { type: "claude", line });
    },
    onStderr: (text) => journal.append(turnId, sessionId, { type: "stderr", text }),
    reaping: [],
  };

  try {
    const attempt = params.mode === "hot" ? await runHotPrompt(deps, job, pool, context) : await runColdAttempts(deps, job, pool, context);
    await finishTurn(deps, job, attempt);
  } catch (error) {
    const turnError: TurnError =
      error instanceof TokenUnavailableError
        ? { code: "token_unavailable", message: error.message }
        : { code: "spawn_failed", message: error instanceof Error ? error.message : String(error) };
    if (error instanceof HotLifeTooShortError) logger.warn(turnError.message);
    else if (!(error instanceof TokenUnavailableError)) logger.error({ err: error }, "turn failed to run");
    failTurn(deps, turnId, control.stopReason ? { code: control.stopReason, message: turnError.message } : turnError);
  } finally {
    clearTimeout(timer);
    permissions.close();
    await Promise.allSettled(context.reaping);
    journal.forgetTurn(turnId);
  }
}

/** A cold turn: its own process, and once more under a new conversation when the transcript is gone. */
async function runColdAttempts(deps: SupervisorDeps, job: TurnJob, pool: HotPool, context: AttemptContext): Promise<PromptAttempt> {
  const { config, sessions } = deps;
  const { sessionId, params, control } = job;
  // The lane ran this job once it held a process slot.
  job.started();
  // One conversation never has two live processes.
  await pool.retireSession(sessionId, "replaced");
  const session = sessions.get(sessionId);
  const resumeId = session?.claudeSessionId ?? null;
  const cwd = resumeId && session ? session.cwd : (params.cwd ?? session?.cwd ?? config.dataDir);
  // The workspace is made ready while the process token is on its way.
  const workspaceReady = (async () => {
    await mkdir(cwd, { recursive: true, mode: 0o700 });
    await context.writeFiles(cwd);
  })();

  const attempt = async (conversation: Conversation): Promise<ColdPrompt> => {
    const prompt = await runColdPrompt({
      bin: config.claudeBin,
      args: buildClaudeArgs({ conversation, ...profileOfTurn(params, config) }),
      cwd,
      baseEnv: config.childEnv,
      konuiUrl: config.konuiUrl,
      instanceTag: config.instanceTag,
      tokens: deps.tokens,
      tokenTtlSec: tokenTtlSec(params),
      workspaceReady,
      sessionId,
      userId: params.userId,
      message: buildUserMessage(params.text, params.images),
      control,
      logger: context.logger,
      resultGraceMs: config.resultGraceMs,
      lingerGraceMs: config.lingerGraceMs,
      stopGraceMs: config.stopGraceMs,
      onSpawned: (process, tokenId) => context.recordProcess(process, tokenId, conversation, cwd),
      onLine: context.onLine,
      onStderr: context.onStderr,
    });
    context.reaping.push(prompt.reaped);
    return prompt;
  };

  let conversation: Conversation = resumeId ? { kind: "resume", claudeSessionId: resumeId } : { kind: "new", claudeSessionId: randomUUID() };
  let prompt = await attempt(conversation);
  const memoryLost = conversation.kind === "resume" && !control.stopRequested && isMemoryLoss(prompt.outcome, prompt.process.stderr);
  if (memoryLost) {
    context.logger.warn({ claudeSessionId: conversation.claudeSessionId }, "transcript gone; re-running as a new conversation");
    await prompt.reaped;
    conversation = { kind: "new", claudeSessionId: randomUUID() };
    prompt = await attempt(conversation);
  }
  return { outcome: prompt.outcome, stderr: prompt.process.stderr, conversation, cwd, memoryLost };
}

async function finishTurn(deps: SupervisorDeps, job: TurnJob, finished: PromptAttempt): Promise<void> {
  const { outcome, conversation } = finished;
  const previousTotalUsd = deps.sessions.lastConversationTotal(conversation.claudeSessionId);
  const newConversation = conversation.kind === "new";
  const transcriptCostUsd = await transcriptTurnCostUsd(
    transcriptPath(deps.config.childEnv, finished.cwd, conversation.claudeSessionId),
    outcome.accumulator,
    newConversation ? 0 : previousTotalUsd,
  );
  const figures = buildTurnFigures(outcome.accumulator, outcome.endedAt, { previousTotalUsd, newConversation, transcriptCostUsd });
  const verdict = judgeTurn(outcome, {
    maxTurns: job.params.maxTurns,
    stopReason: job.control.stopReason,
    executionTimeoutSec: job.params.executionTimeoutSec,
    stderr: finished.stderr,
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
