import type { ClaudeProcess } from "../claude/claude-process.ts";
import type { PromptRun } from "../claude/prompt-run.ts";
import { waitAtMost } from "../wait-at-most.ts";
import type { StopReason } from "./turn-verdict.ts";

/**
 * The handle on a running turn that interrupts, timeouts and shutdown go through: interrupt
 * the prompt, wait a grace period for its `result`, then end the process group.
 */
export class TurnControl {
  stopReason: StopReason | null = null;
  private process: ClaudeProcess | null = null;
  private run: PromptRun | null = null;
  private stopping: Promise<void> | null = null;

  constructor(private readonly graceMs: number) {}

  get stopRequested(): boolean {
    return this.stopReason !== null;
  }

  stop(reason: StopReason, options: { interruptFirst: boolean } = { interruptFirst: true }): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopReason = reason;
    this.stopping = this.stopNow(options.interruptFirst);
    return this.stopping;
  }

  /** Hands the control its process; one that arrives after a stop was asked for is ended at once. */
  attach(process: ClaudeProcess, run: PromptRun): void {
    this.process = process;
    this.run = run;
    if (this.stopReason) void process.stop(this.graceMs);
  }

  private async stopNow(interruptFirst: boolean): Promise<void> {
    const run = this.run;
    if (interruptFirst && run && !run.finished && run.interrupt()) {
      if ((await waitAtMost(run.done, this.graceMs)) !== null) return;
    }
    await this.process?.stop(this.graceMs);
  }
}
