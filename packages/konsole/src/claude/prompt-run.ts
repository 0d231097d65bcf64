import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  buildInterruptRequest,
  toStdinLine,
  type ClaudeLine,
  type ResultEvent,
  type UserMessageLine,
} from "@kon/protocol";
import { waitAtMost } from "../wait-at-most.ts";
import type { ClaudeProcess, ProcessExit } from "./claude-process.ts";
import { TurnAccumulator } from "./turn-accumulator.ts";

export type PromptEnd =
  | { kind: "result"; result: ResultEvent }
  /** The process exited or closed stdout before this prompt's `result`. */
  | { kind: "no_result"; exit: ProcessExit | null };

export interface PromptOutcome {
  end: PromptEnd;
  accumulator: TurnAccumulator;
  endedAt: number;
}

export interface PromptRunOptions {
  process: ClaudeProcess;
  message: UserMessageLine;
  /** After the process exits without a `result`, how long to wait for the rest of its stdout. */
  resultGraceMs: number;
  /** Every stdout line of this prompt, as it arrives. */
  onLine?: (line: ClaudeLine) => void;
}

interface EndLatch {
  /** Ends the prompt; null once it has ended. */
  settle: ((end: PromptEnd) => void) | null;
  graceTimer?: NodeJS.Timeout;
}

/**
 * Ends the prompt without a result when the process ends first. Its callbacks wait on the
 * process and hold only the latch, so the prompts a hot process has finished (their messages,
 * images and output) are not kept alive until it exits.
 */
function watchProcessEnd(process: ClaudeProcess, resultGraceMs: number, latch: EndLatch): void {
  // stdout ends a moment before 'exit' is seen; wait for it briefly so the turn can say how the process ended.
  void process.outputEnded.then(async () => {
    if (!latch.settle) return;
    const exit = await waitAtMost(process.exited, resultGraceMs);
    latch.settle?.({ kind: "no_result", exit });
  });
  void process.exited.then((exit) => {
    if (!latch.settle) return;
    // stdout may still hold the result after 'exit'; a descendant may keep it open forever.
    latch.graceTimer = setTimeout(() => latch.settle?.({ kind: "no_result", exit }), resultGraceMs);
    void process.outputEnded.then(() => latch.settle?.({ kind: "no_result", exit }));
  });
}

/**
 * One prompt on a live process: writes the user line and reads until its `result`. A hot
 * process runs many of these one after another; a cold one runs exactly one.
 */
export class PromptRun {
  readonly done: Promise<PromptOutcome>;
  readonly accumulator: TurnAccumulator;
  private readonly process: ClaudeProcess;
  private settled = false;

  constructor(options: PromptRunOptions) {
    this.process = options.process;
    this.accumulator = new TurnAccumulator(performance.now());
    this.done = new Promise((resolve) => {
      const latch: EndLatch = {
        settle: (end) => {
          latch.settle = null;
          clearTimeout(latch.graceTimer);
          stopListening();
          this.settled = true;
          resolve({ end, accumulator: this.accumulator, endedAt: performance.now() });
        },
      };
      const stopListening = options.process.onLine((line) => {
        this.accumulator.observe(line, performance.now());
        options.onLine?.(line);
        if (line.kind === "event" && line.event.type === "result") latch.settle?.({ kind: "result", result: line.event });
      });
      watchProcessEnd(options.process, options.resultGraceMs, latch);
      if (!options.process.write(toStdinLine(options.message))) latch.settle?.({ kind: "no_result", exit: null });
    });
  }

  get finished(): boolean {
    return this.settled;
  }

  /** Asks the CLI to stop this prompt; its `result` follows. False when stdin is gone. */
  interrupt(): boolean {
    if (this.settled) return false;
    return this.process.write(toStdinLine(buildInterruptRequest(`konsole_${randomUUID()}`)));
  }
}
