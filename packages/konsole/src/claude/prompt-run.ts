import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import {
  buildInterruptRequest,
  toStdinLine,
  type ClaudeLine,
  type ResultEvent,
  type UserMessageLine,
} from "@kon/protocol";
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
      let graceTimer: NodeJS.Timeout | undefined;
      const settle = (end: PromptEnd): void => {
        if (this.settled) return;
        this.settled = true;
        clearTimeout(graceTimer);
        stopListening();
        resolve({ end, accumulator: this.accumulator, endedAt: performance.now() });
      };
      const stopListening = options.process.onLine((line) => {
        this.accumulator.observe(line, performance.now());
        options.onLine?.(line);
        if (line.kind === "event" && line.event.type === "result") settle({ kind: "result", result: line.event });
      });
      // stdout ends a moment before 'exit' is seen; wait for it briefly so the turn can say how the process ended.
      void options.process.outputEnded.then(async () => {
        const exit = await Promise.race([options.process.exited, sleep(options.resultGraceMs).then(() => null)]);
        settle({ kind: "no_result", exit });
      });
      void options.process.exited.then((exit) => {
        // stdout may still hold the result after 'exit'; a descendant may keep it open forever.
        graceTimer = setTimeout(() => settle({ kind: "no_result", exit }), options.resultGraceMs);
        void options.process.outputEnded.then(() => settle({ kind: "no_result", exit }));
      });
      if (!options.process.write(toStdinLine(options.message))) settle({ kind: "no_result", exit: null });
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
