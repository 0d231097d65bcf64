import { randomUUID } from "node:crypto";
import type { ClaudeLine, ProcessToken, UserMessageLine } from "@kon/protocol";
import { buildChildEnv } from "../claude/child-env.ts";
import { ClaudeProcess } from "../claude/claude-process.ts";
import { PromptRun, type PromptOutcome } from "../claude/prompt-run.ts";
import type { Logger } from "../logger.ts";
import type { ProcessTokenClient } from "../tokens/process-token-client.ts";
import { waitAtMost } from "../wait-at-most.ts";
import type { TurnControl } from "./turn-control.ts";

export interface ColdPromptOptions {
  bin: string;
  args: readonly string[];
  cwd: string;
  baseEnv: Readonly<Record<string, string>>;
  konuiUrl: string;
  instanceTag: string;
  tokens: ProcessTokenClient;
  tokenTtlSec: number;
  /** The working directory being made ready; awaited (with the token) before the spawn. */
  workspaceReady: Promise<void>;
  sessionId: string;
  userId: string;
  message: UserMessageLine;
  control: TurnControl;
  logger: Logger;
  resultGraceMs: number;
  lingerGraceMs: number;
  stopGraceMs: number;
  /** Called once the prompt is written to the new process. */
  onSpawned(process: ClaudeProcess, tokenId: string): void;
  onLine(line: ClaudeLine): void;
  onStderr(text: string): void;
}

export interface ColdPrompt {
  outcome: PromptOutcome;
  process: ClaudeProcess;
  /** Resolves once the process group is gone and its token revoked. */
  reaped: Promise<void>;
}

/** The process token, asked for while the workspace is made ready; a token nobody will use is given back. */
async function tokenWithWorkspace(options: ColdPromptOptions, processId: string): Promise<ProcessToken> {
  const [token, workspace] = await Promise.allSettled([
    options.tokens.issue({ sessionId: options.sessionId, userId: options.userId, processId, ttlSec: options.tokenTtlSec }),
    options.workspaceReady,
  ]);
  if (workspace.status === "rejected") {
    if (token.status === "fulfilled") void options.tokens.revoke(token.value.tokenId);
    throw workspace.reason;
  }
  if (token.status === "rejected") throw token.reason;
  return token.value;
}

/**
 * A cold turn's process: token, spawn, one prompt, then stdin closed and the process reaped.
 * stdin stays open until the `result` so an interrupt can still be written.
 */
export async function runColdPrompt(options: ColdPromptOptions): Promise<ColdPrompt> {
  const processId = randomUUID();
  const token = await tokenWithWorkspace(options, processId);
  const process = new ClaudeProcess({
    id: processId,
    bin: options.bin,
    args: options.args,
    cwd: options.cwd,
    env: buildChildEnv(options.baseEnv, { konuiUrl: options.konuiUrl, konuiToken: token.token, instanceTag: options.instanceTag }),
    logger: options.logger,
  });
  process.onStderr(options.onStderr);
  const run = new PromptRun({ process, message: options.message, resultGraceMs: options.resultGraceMs, onLine: options.onLine });
  options.onSpawned(process, token.tokenId);
  options.control.attach(process, run);
  const outcome = await run.done;
  process.closeStdin();
  const reaped = reap(process, outcome, options).then(async () => {
    await options.tokens.revoke(token.tokenId);
  });
  return { outcome, process, reaped };
}

async function reap(process: ClaudeProcess, outcome: PromptOutcome, options: ColdPromptOptions): Promise<void> {
  if (outcome.end.kind === "result" && !process.hasExited) {
    const exit = await waitAtMost(process.exited, options.lingerGraceMs);
    if (exit === null) process.logger.info({ lingerGraceMs: options.lingerGraceMs }, "claude lingered after its result; ending it");
  }
  await process.stop(options.stopGraceMs);
}
