import type { ClaudeLine, UserMessageLine } from "@kon/protocol";
import type { ClaudeProcess, ProcessExit } from "../claude/claude-process.ts";
import { PromptRun } from "../claude/prompt-run.ts";
import { waitAtMost } from "../wait-at-most.ts";
import type { RetireReason } from "./hot-lifetime.ts";
import type { HotProfile } from "./hot-profile.ts";

export type HotState = "warming" | "idle" | "busy" | "retiring";

export interface HotBinding {
  sessionId: string;
  userId: string;
}

export interface HotProcessInit {
  process: ClaudeProcess;
  tokenId: string;
  claudeSessionId: string;
  /** Whether the process was started with `--session-id` (a conversation with no prompt yet). */
  startedNew: boolean;
  cwd: string;
  profile: HotProfile;
  binding: HotBinding | null;
  spawnedAt: number;
  retireAt: number;
  settleMs: number;
  stopGraceMs: number;
}

export interface HotPromptOptions {
  message: UserMessageLine;
  resultGraceMs: number;
  onLine(line: ClaudeLine): void;
  onStderr(text: string): void;
}

/**
 * One live `claude` kept between prompts: its state, its binding to a session, and its
 * lifetime facts. Each prompt is a `PromptRun` on the same process.
 */
export class HotProcess {
  readonly process: ClaudeProcess;
  readonly tokenId: string;
  readonly claudeSessionId: string;
  readonly startedNew: boolean;
  readonly cwd: string;
  readonly profile: HotProfile;
  readonly retireAt: number;
  readonly spawnedAt: number;
  /** True once it stayed alive for the settle time; false when it died before. */
  readonly ready: Promise<boolean>;
  /** Resolves once the process has exited and its group is gone. */
  readonly ended: Promise<ProcessExit>;
  binding: HotBinding | null;
  lastUsedAt = Date.now();
  prompts = 0;
  retireReason: RetireReason | null = null;
  private busy = false;
  private settled = false;
  private retiring: Promise<void> | null = null;
  private readonly stopGraceMs: number;

  constructor(init: HotProcessInit) {
    this.process = init.process;
    this.tokenId = init.tokenId;
    this.claudeSessionId = init.claudeSessionId;
    this.startedNew = init.startedNew;
    this.cwd = init.cwd;
    this.profile = init.profile;
    this.binding = init.binding;
    this.spawnedAt = init.spawnedAt;
    this.retireAt = init.retireAt;
    this.stopGraceMs = init.stopGraceMs;
    this.ready = waitAtMost(this.process.exited, init.settleMs).then((exit) => {
      this.settled = exit === null;
      return this.settled;
    });
    this.ended = this.process.exited.then(async (exit) => {
      await this.process.stop(this.stopGraceMs);
      return exit;
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return !this.process.hasExited;
  }

  get state(): HotState {
    if (this.retiring || !this.alive) return "retiring";
    if (this.busy) return "busy";
    return this.settled ? "idle" : "warming";
  }

  /** Free for a prompt: alive, not busy, not being retired. */
  get available(): boolean {
    return this.alive && !this.busy && this.retiring === null;
  }

  /** The conversation a prompt on this process continues (`new` for the first prompt of a `--session-id` process). */
  get conversationKind(): "new" | "resume" {
    return this.startedNew && this.prompts === 0 ? "new" : "resume";
  }

  /** Marks it busy; the caller must `finishPrompt` whatever happens. */
  take(): void {
    if (!this.available) throw new Error("hot process is not available");
    this.busy = true;
  }

  runPrompt(options: HotPromptOptions): PromptRun {
    const stopStderr = this.process.onStderr(options.onStderr);
    const run = new PromptRun({ process: this.process, message: options.message, resultGraceMs: options.resultGraceMs, onLine: options.onLine });
    void run.done.finally(stopStderr);
    return run;
  }

  finishPrompt(): void {
    this.busy = false;
    // A process that has answered a prompt is ready, however young it is.
    this.settled = this.alive;
    this.prompts += 1;
    this.lastUsedAt = Date.now();
  }

  /** Closes stdin so the CLI ends by itself, then ends whatever is left of its group. */
  retire(reason: RetireReason): Promise<void> {
    this.retiring ??= (async () => {
      this.retireReason = reason;
      this.process.logger.debug({ reason }, "retiring hot process");
      this.process.closeStdin();
      await waitAtMost(this.process.exited, this.stopGraceMs);
      await this.process.stop(this.stopGraceMs);
      await this.ended;
    })();
    return this.retiring;
  }
}
