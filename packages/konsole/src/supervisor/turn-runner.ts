import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { buildUserMessage, type StartTurnParams, type TurnError } from "@kon/protocol";
import { buildClaudeArgs, type Conversation } from "../claude/args.ts";
import type { TurnLimits } from "../journal/turn-store.ts";
import { isInitializeAnswer } from "../claude/claude-process.ts";
import type { HotPool } from "../pool/hot-pool.ts";
import { profileOfTurn } from "../pool/hot-profile.ts";
import { HotLifeTooShortError } from "../pool/hot-spawn.ts";
import { TokenUnavailableError } from "../tokens/process-token-client.ts";
import { writeWorkspaceFiles } from "../workspace-files.ts";
import { BudgetWatch } from "./budget-watch.ts";
import { runColdPrompt, type ColdPrompt } from "./cold-prompt.ts";
import { updateTurn, type SupervisorDeps } from "./deps.ts";
import { runHotPrompt } from "./hot-turn.ts";
import { closeTurn, failTurn, rerunOnMemoryLoss } from "./turn-closer.ts";
import type { AttemptContext, PromptAttempt, TurnJob } from "./turn-job.ts";

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
  const budget =
    params.budget &&
    new BudgetWatch(params.budget, (spentUsd) => {
      logger.info({ spentUsd, budget: params.budget }, "turn passed its budget; stopping it");
      void control.stop("budget_exceeded");
    });
  const context: AttemptContext = {
    logger,
    writeFiles: (cwd) => writeWorkspaceFiles(cwd, params.files),
    recordProcess: (process, tokenId, conversation, cwd) => {
      job.started();
      permissions.bind(process, cwd);
      startedAt ??= new Date().toISOString();
      const running = { status: "running", startedAt, pid: process.pid ?? null, processId: process.id, processTokenId: tokenId, claudeSessionId: conversation.claudeSessionId, cwd } as const;
      // A microtask later: a hot prompt is written before its turn's row is stored (see `startTurn`).
      queueMicrotask(() => {
        try {
          updateTurn(deps, turnId, running);
        } catch (error) {
          logger.error({ err: error }, "could not mark the turn running");
        }
      });
      logger.debug({ pid: process.pid, conversation }, "prompt written to claude");
    },
    onLine: (line) => {
      // First, so a permission the rules decide is answered before anything is written down.
      permissions.observe(line);
      if (!isInitializeAnswer(line)) journal.append(turnId, sessionId, { type: "claude", line });
      budget?.observe(line);
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
      args: buildClaudeArgs({ conversation, ...profileOfTurn(params, config, conversationTotalUsd(deps, conversation)) }),
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

  const run = async (conversation: Conversation): Promise<PromptAttempt & { reaped: Promise<void> }> => {
    const prompt = await attempt(conversation);
    return { outcome: prompt.outcome, stderr: prompt.process.stderr, conversation, cwd, memoryLost: false, reaped: prompt.reaped };
  };
  const first = await run(resumeId ? { kind: "resume", claudeSessionId: resumeId } : { kind: "new", claudeSessionId: randomUUID() });
  return rerunOnMemoryLoss(first, first.conversation.kind === "resume", control.stopRequested, context.logger, async () => {
    await first.reaped;
    return run({ kind: "new", claudeSessionId: randomUUID() });
  });
}

/** What the conversation a prompt continues has cost so far, as the CLI's running total counts it. */
function conversationTotalUsd(deps: SupervisorDeps, conversation: Conversation): number {
  return conversation.kind === "resume" ? (deps.sessions.lastConversationTotal(conversation.claudeSessionId) ?? 0) : 0;
}

/** What the turn runs under, kept with it for whoever closes it. */
export function limitsOf(params: StartTurnParams): TurnLimits {
  return { maxTurns: params.maxTurns, executionTimeoutSec: params.executionTimeoutSec ?? null, budget: params.budget ?? null };
}

function finishTurn(deps: SupervisorDeps, job: TurnJob, finished: PromptAttempt): Promise<unknown> {
  const { outcome, conversation } = finished;
  return closeTurn(deps, {
    turnId: job.turnId,
    sessionId: job.sessionId,
    limits: limitsOf(job.params),
    end: outcome.end,
    accumulator: outcome.accumulator,
    endedAt: outcome.endedAt,
    stderr: finished.stderr,
    stopReason: job.control.stopReason,
    claudeSessionId: conversation.claudeSessionId,
    newConversation: conversation.kind === "new",
    cwd: finished.cwd,
    memoryLost: finished.memoryLost,
  });
}
