import { randomUUID } from "node:crypto";
import { buildUserMessage } from "@kon/protocol";
import type { Conversation } from "../claude/args.ts";
import { appendStderrTail } from "../claude/claude-process.ts";
import type { HotPool } from "../pool/hot-pool.ts";
import type { HotBinding, HotProcess } from "../pool/hot-process.ts";
import { profileFits, profileOfTurn, type HotProfile } from "../pool/hot-profile.ts";
import { workspaceDir } from "../workspace-files.ts";
import type { SupervisorDeps } from "./deps.ts";
import { rerunOnMemoryLoss } from "./turn-closer.ts";
import type { AttemptContext, PromptAttempt, TurnJob } from "./turn-job.ts";

/** Whether the session's live process can take this prompt as it is (same user, same flags, enough life left). */
function fits(hot: HotProcess, binding: HotBinding, profile: HotProfile, job: TurnJob): boolean {
  const lifeLeftMs = hot.retireAt - Date.now();
  return (
    hot.available &&
    hot.binding?.userId === binding.userId &&
    profileFits(hot.profile, profile) &&
    lifeLeftMs > (job.params.executionTimeoutSec ?? 0) * 1000
  );
}

/** The session's live process, taken for this prompt when it fits; undefined when it does not. */
function takeLiveProcess(pool: HotPool, job: TurnJob, profile: HotProfile): HotProcess | undefined {
  const live = pool.boundTo(job.sessionId);
  if (!live || !fits(live, { sessionId: job.sessionId, userId: job.params.userId }, profile, job)) return undefined;
  live.take();
  return live;
}

/**
 * A process for a prompt the session's live one cannot take: one resumed from the session's
 * conversation; else, for a new conversation, one from the pool; else a new one.
 */
async function otherHotProcess(deps: SupervisorDeps, pool: HotPool, job: TurnJob, profile: HotProfile): Promise<HotProcess> {
  const { sessionId, params } = job;
  const binding: HotBinding = { sessionId, userId: params.userId };
  const minLifeSec = params.executionTimeoutSec ?? 0;
  const live = pool.boundTo(sessionId);
  // One conversation never has two live processes: the old one is gone before another starts.
  if (live) await pool.retireSession(sessionId, "replaced");
  const session = deps.sessions.get(sessionId);
  if (session?.claudeSessionId) {
    const conversation: Conversation = { kind: "resume", claudeSessionId: session.claudeSessionId };
    return pool.spawnFor({ binding, conversation, cwd: session.cwd, profile, minLifeSec });
  }
  // Pool processes run without a budget cap: a budgeted turn starts its own.
  if (params.cwd === undefined && profile.maxBudgetUsd === undefined) {
    const pooled = await pool.claim(profile, binding, minLifeSec);
    if (pooled) return pooled;
  }
  const cwd = params.cwd ?? session?.cwd ?? workspaceDir(deps.config.dataDir, sessionId);
  return pool.spawnFor({ binding, conversation: { kind: "new", claudeSessionId: randomUUID() }, cwd, profile, minLifeSec });
}

async function promptOn(hot: HotProcess, pool: HotPool, deps: SupervisorDeps, job: TurnJob, context: AttemptContext): Promise<PromptAttempt> {
  const conversation: Conversation = { kind: hot.conversationKind, claudeSessionId: hot.claudeSessionId };
  let stderr = "";
  try {
    // Without files, nothing is awaited between the request and the prompt's write.
    if (job.params.files.length > 0) await context.writeFiles(hot.cwd);
    const run = hot.runPrompt({
      message: buildUserMessage(job.params.text, job.params.images),
      resultGraceMs: deps.config.resultGraceMs,
      onLine: context.onLine,
      onStderr: (text) => {
        stderr = appendStderrTail(stderr, text);
        context.onStderr(text);
      },
    });
    context.recordProcess(hot.process, hot.tokenId, conversation, hot.cwd);
    job.control.attach(hot.process, run);
    const outcome = await run.done;
    return { outcome, stderr, conversation, cwd: hot.cwd, memoryLost: false };
  } finally {
    pool.promptDone(hot);
  }
}

/** A hot turn: one more prompt on the session's live process, which stays alive for the next. */
export async function runHotPrompt(deps: SupervisorDeps, job: TurnJob, pool: HotPool, context: AttemptContext): Promise<PromptAttempt> {
  const claudeSessionId = deps.sessions.get(job.sessionId)?.claudeSessionId;
  const conversationTotalUsd = claudeSessionId ? (deps.sessions.lastConversationTotal(claudeSessionId) ?? 0) : 0;
  const profile = profileOfTurn(job.params, deps.config, conversationTotalUsd);
  const hot = takeLiveProcess(pool, job, profile) ?? (await otherHotProcess(deps, pool, job, profile));
  job.started();
  const attempt = await promptOn(hot, pool, deps, job, context);
  const resumed = !hot.startedNew && hot.prompts === 1;
  return rerunOnMemoryLoss(attempt, resumed, job.control.stopRequested, context.logger, async () => {
    await pool.retireSession(job.sessionId, "replaced");
    const binding: HotBinding = { sessionId: job.sessionId, userId: job.params.userId };
    const conversation: Conversation = { kind: "new", claudeSessionId: randomUUID() };
    const fresh = await pool.spawnFor({ binding, conversation, cwd: hot.cwd, profile, minLifeSec: job.params.executionTimeoutSec ?? 0 });
    return promptOn(fresh, pool, deps, job, context);
  });
}
