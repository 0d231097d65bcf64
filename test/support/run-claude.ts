// Drives the real `claude` binary in stream-json mode: one cold turn, or a hot process that
// takes one stdin line after another.

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createInterface } from "node:readline";
import { resolveClaudeBin } from "@kon/konsole/claude/bin";
import {
  buildInterruptRequest,
  buildUserMessage,
  parseClaudeLine,
  toStdinLine,
  type ClaudeEvent,
  type ClaudeLine,
  type InterruptRequest,
  type ResultEvent,
  type UserMessageLine,
} from "@kon/protocol";
import { isResult } from "./claude-events.ts";

export const streamJsonArgs: readonly string[] = [
  "-p",
  "--input-format",
  "stream-json",
  "--output-format",
  "stream-json",
  "--verbose",
];

/** A message, an interrupt request, or a line written as it is. */
export type StdinItem = string | UserMessageLine | InterruptRequest;

export interface ClaudeSpawnOptions {
  /** Appended to `baseArgs`. */
  args?: readonly string[];
  /** Default `streamJsonArgs`. */
  baseArgs?: readonly string[];
  env: Record<string, string>;
  cwd: string;
  /** Default: `CLAUDE_BIN`, else the pinned package's binary. */
  bin?: string;
}

export interface ClaudeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WaitOptions {
  /** Only events at this index or later count. */
  from?: number;
  timeoutMs?: number;
}

export interface ClaudeProcess {
  pid: number;
  /** Every stdout line, parsed (events, unknown objects and raw text). */
  lines: ClaudeLine[];
  events: ClaudeEvent[];
  stderr(): string;
  /** Set once the process has exited and its output is read. */
  exit(): ClaudeExit | undefined;
  write(item: StdinItem): void;
  /** Writes a user message with this text. */
  send(text: string): void;
  /** Writes an interrupt control request; returns its request_id. */
  interrupt(requestId?: string): string;
  /** Closes stdin: the CLI finishes what it is doing and exits. */
  endInput(): void;
  waitForEvent<T extends ClaudeEvent>(
    predicate: (event: ClaudeEvent) => event is T,
    options?: WaitOptions,
  ): Promise<{ event: T; index: number }>;
  waitForEvent(
    predicate: (event: ClaudeEvent) => boolean,
    options?: WaitOptions,
  ): Promise<{ event: ClaudeEvent; index: number }>;
  /** The next `result` not yet returned by an earlier call. */
  nextResult(timeoutMs?: number): Promise<ResultEvent>;
  exited: Promise<ClaudeExit>;
  /** SIGKILL to the whole process group; resolves when the process is gone. */
  kill(): Promise<ClaudeExit>;
}

const defaultWaitMs = 45_000;
const stderrCapChars = 64_000;
const live = new Set<ClaudeProcess>();

function stdinLine(item: StdinItem): string {
  if (typeof item !== "string") return toStdinLine(item);
  return item.endsWith("\n") ? item : `${item}\n`;
}

function describeExit(exit: ClaudeExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

/** Spawns `claude` in its own process group with stdin kept open. */
export function startClaude(options: ClaudeSpawnOptions): ClaudeProcess {
  const args = [...(options.baseArgs ?? streamJsonArgs), ...(options.args ?? [])];
  const child = spawn(options.bin ?? resolveClaudeBin(process.env.CLAUDE_BIN), args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("claude did not start");

  const lines: ClaudeLine[] = [];
  const events: ClaudeEvent[] = [];
  const changed = new EventEmitter();
  let stderr = "";
  let exit: ClaudeExit | undefined;
  let inputEnded = false;
  let resultCursor = 0;

  child.stdin.on("error", () => {
    // EPIPE when the process is gone; the exit tells the test what happened.
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrCapChars);
  });
  createInterface({ input: child.stdout }).on("line", (text) => {
    const line = parseClaudeLine(text);
    lines.push(line);
    if (line.kind === "event") events.push(line.event);
    changed.emit("change");
  });

  const exited = new Promise<ClaudeExit>((resolve) => {
    child.on("close", (code, signal) => {
      exit = { code, signal };
      changed.emit("change");
      resolve(exit);
    });
  });

  function waitForEvent(
    predicate: (event: ClaudeEvent) => boolean,
    { from = 0, timeoutMs = defaultWaitMs }: WaitOptions = {},
  ): Promise<{ event: ClaudeEvent; index: number }> {
    return new Promise((resolve, reject) => {
      let scanned = from;
      const finish = (): void => {
        clearTimeout(timer);
        changed.off("change", check);
      };
      const fail = (why: string): void => {
        finish();
        reject(new Error(`${why}; stderr: ${stderr.slice(-2000) || "(empty)"}`));
      };
      function check(): void {
        for (; scanned < events.length; scanned++) {
          const event = events[scanned];
          if (event && predicate(event)) {
            finish();
            resolve({ event, index: scanned });
            return;
          }
        }
        if (exit) fail(`claude exited (${describeExit(exit)}) before the awaited event`);
      }
      const timer = setTimeout(() => fail(`no awaited claude event within ${timeoutMs} ms`), timeoutMs);
      changed.on("change", check);
      check();
    });
  }

  const claude: ClaudeProcess = {
    pid,
    lines,
    events,
    stderr: () => stderr,
    exit: () => exit,
    write(item) {
      if (inputEnded) throw new Error("stdin of claude is already closed");
      child.stdin.write(stdinLine(item));
    },
    send(text) {
      claude.write(buildUserMessage(text));
    },
    interrupt(requestId = `req_${randomUUID()}`) {
      claude.write(buildInterruptRequest(requestId));
      return requestId;
    },
    endInput() {
      if (inputEnded) return;
      inputEnded = true;
      child.stdin.end();
    },
    waitForEvent: waitForEvent as ClaudeProcess["waitForEvent"],
    async nextResult(timeoutMs = defaultWaitMs) {
      const { event, index } = await waitForEvent(isResult, { from: resultCursor, timeoutMs });
      resultCursor = index + 1;
      return event as ResultEvent;
    },
    exited,
    async kill() {
      // Also when the CLI itself is gone: a tool's child may still hold the group.
      killGroup(pid);
      const result = await exited;
      live.delete(claude);
      return result;
    },
  };
  live.add(claude);
  return claude;
}

export interface ClaudeTurnOptions extends ClaudeSpawnOptions {
  /** Written to stdin in order, then stdin is closed. */
  input: readonly StdinItem[];
  /** The process is killed when it has not exited by then. Default 60 s. */
  timeoutMs?: number;
}

export interface ClaudeTurn {
  lines: ClaudeLine[];
  events: ClaudeEvent[];
  /** The last `result` line, if any. */
  result: ResultEvent | undefined;
  stderr: string;
  exit: ClaudeExit;
  timedOut: boolean;
}

/** A cold turn: spawn, write the input, close stdin, read until the process exits. */
export async function runClaudeTurn(options: ClaudeTurnOptions): Promise<ClaudeTurn> {
  const claude = startClaude(options);
  for (const item of options.input) claude.write(item);
  claude.endInput();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void claude.kill();
  }, options.timeoutMs ?? 60_000);
  const exit = await claude.exited;
  clearTimeout(timer);
  killGroup(claude.pid);
  return {
    lines: claude.lines,
    events: claude.events,
    result: claude.events.filter(isResult).at(-1),
    stderr: claude.stderr(),
    exit,
    timedOut,
  };
}

/** Kills every `claude` process group this module started and nobody killed yet; for afterEach. */
export async function killAllClaudes(): Promise<void> {
  await Promise.all([...live].map((claude) => claude.kill()));
}
