import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { buildInitializeRequest, parseClaudeLine, type ClaudeLine } from "@kon/protocol";
import type { Logger } from "../logger.ts";
import { waitAtMost } from "../wait-at-most.ts";
import { readLines } from "./line-reader.ts";
import { endProcessGroup, signalProcessGroup } from "./process-group.ts";
import { endTaggedProcesses, PROCESS_TAG_VAR } from "./process-tag.ts";

export interface ClaudeProcessOptions {
  bin: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  logger: Logger;
  /** konsole's id for this process (also the process token's `processId`); default a new UUID. */
  id?: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the executable could not be started at all. */
  spawnError?: string;
}

const STDERR_TAIL_CHARS = 8_000;

/** `tail` with `text` appended, cut to the last few thousand characters (stderr kept for error messages). */
export function appendStderrTail(tail: string, text: string): string {
  return (tail + text).slice(-STDERR_TAIL_CHARS);
}

const INITIALIZE_REQUEST_PREFIX = "konsole_init_";

/** The CLI's answer to konsole's own `initialize` (its commands, models, account): not the turn's to keep. */
export function isInitializeAnswer(line: ClaudeLine): boolean {
  return (
    line.kind === "event" &&
    line.event.type === "control_response" &&
    (line.event.response.request_id ?? "").startsWith(INITIALIZE_REQUEST_PREFIX)
  );
}

/** "was killed by SIGTERM" / "exited with code 1", for messages about a process that ended. */
export function howItEnded(exit: ProcessExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * One `claude` child in its own process group. It knows nothing about turns: it hands out
 * stdout lines, takes stdin lines, and can end its whole group.
 */
export class ClaudeProcess {
  readonly id: string;
  readonly pid: number | undefined;
  readonly exited: Promise<ProcessExit>;
  /** Resolves when stdout has ended (it may never, if a descendant holds the pipe). */
  readonly outputEnded: Promise<void>;
  readonly logger: Logger;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lineListeners = new Set<(line: ClaudeLine) => void>();
  private readonly stderrListeners = new Set<(text: string) => void>();
  private exit: ProcessExit | undefined;
  private stderrTail = "";

  constructor(options: ClaudeProcessOptions) {
    this.id = options.id ?? randomUUID();
    this.child = spawn(options.bin, [...options.args], {
      cwd: options.cwd,
      env: { ...options.env, [PROCESS_TAG_VAR]: this.id },
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.pid = this.child.pid;
    this.logger = options.logger.child({ processId: this.id, pid: this.pid });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        this.logger.debug({ code, signal }, "claude exited");
        resolve(this.exit);
      });
      this.child.once("error", (error) => {
        if (this.pid !== undefined && this.exit === undefined) {
          this.logger.warn({ err: error }, "claude process error");
          return;
        }
        this.exit = { code: null, signal: null, spawnError: error.message };
        resolve(this.exit);
      });
    });
    this.outputEnded = new Promise((resolve) => {
      this.child.stdout.once("end", () => resolve());
      this.child.stdout.once("error", () => resolve());
    });
    this.child.stdin.on("error", (error) => this.logger.debug({ err: error }, "claude stdin closed under us"));
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (text: string) => {
      this.stderrTail = appendStderrTail(this.stderrTail, text);
      for (const listener of this.stderrListeners) listener(text);
    });
    readLines(this.child.stdout, (raw) => {
      const line = parseClaudeLine(raw);
      for (const listener of [...this.lineListeners]) listener(line);
    });
    // The control protocol starts with the host's `initialize`; only then does the CLI ask its tool permissions of us.
    this.write(`${JSON.stringify(buildInitializeRequest(`${INITIALIZE_REQUEST_PREFIX}${this.id}`))}\n`);
  }

  onLine(listener: (line: ClaudeLine) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  onStderr(listener: (text: string) => void): () => void {
    this.stderrListeners.add(listener);
    return () => this.stderrListeners.delete(listener);
  }

  get stderr(): string {
    return this.stderrTail;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** Writes one line (the caller adds the newline); false when stdin is gone. */
  write(line: string): boolean {
    if (!this.child.stdin.writable) return false;
    this.child.stdin.write(line);
    return true;
  }

  closeStdin(): void {
    if (this.child.stdin.writable) this.child.stdin.end();
  }

  /**
   * Ends the whole process group: SIGTERM, then SIGKILL once `graceMs` has passed without an
   * exit. Descendants left behind by a process that already exited are killed too.
   */
  async stop(graceMs: number): Promise<ProcessExit> {
    const pid = this.pid;
    if (pid === undefined) return this.exited;
    if (!this.hasExited) {
      signalProcessGroup(pid, "SIGTERM");
      if ((await waitAtMost(this.exited, graceMs)) === null) {
        this.logger.warn({ graceMs }, "claude ignored SIGTERM; sending SIGKILL");
        signalProcessGroup(pid, "SIGKILL");
      }
    }
    const exit = await this.exited;
    await this.reapGroup(graceMs);
    return exit;
  }

  /** Kills whatever is left once the leader is gone: its group, and descendants that left it. */
  private async reapGroup(graceMs: number): Promise<void> {
    if (this.pid !== undefined) await endProcessGroup(this.pid, graceMs);
    const stragglers = await endTaggedProcesses(this.id, graceMs);
    if (stragglers > 0) this.logger.info({ stragglers }, "ended descendants that had left the process group");
  }
}
