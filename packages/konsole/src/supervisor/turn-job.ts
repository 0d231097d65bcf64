import type { ClaudeLine, StartTurnParams } from "@kon/protocol";
import type { Conversation } from "../claude/args.ts";
import type { ClaudeProcess } from "../claude/claude-process.ts";
import type { PromptOutcome } from "../claude/prompt-run.ts";
import type { Logger } from "../logger.ts";
import type { PermissionGate } from "./permission-gate.ts";
import type { TurnControl } from "./turn-control.ts";

/** One queued turn as the runner of either mode gets it. */
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
   * recovery). Called right after the prompt is written, in the same synchronous step; the row
   * is written a microtask later, so the prompt is not held back by the database and no stdout
   * line (I/O, after every microtask) can be journaled before it.
   */
  recordProcess(process: ClaudeProcess, tokenId: string, conversation: Conversation, cwd: string): void;
  onLine(line: ClaudeLine): void;
  onStderr(text: string): void;
  /** Promises the turn waits for (after it is closed) before it lets go of its lane. */
  reaping: Promise<void>[];
}
