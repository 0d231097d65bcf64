import { mkdirSync } from "node:fs";
import path from "node:path";
import { ApiError, type AdoptConversationRequest, type HotStatus, type PermissionAnswer, type KonsoleSession, type StartTurnParams, type Turn, type TurnAccepted } from "@kon/protocol";
import { INSTANCE_TAG_VAR, endTaggedProcesses } from "../claude/process-tag.ts";
import { deleteTranscript, transcriptPath } from "../claude/transcript.ts";
import { turnFromRow } from "../journal/turn-store.ts";
import { hotLifeShortfall } from "../pool/fresh-life.ts";
import { HotPool } from "../pool/hot-pool.ts";
import { ProcessSlots } from "../pool/process-slots.ts";
import { checkWorkspaceFiles, workspaceDir } from "../workspace-files.ts";
import { placeTranscript } from "./adopt-transcript.ts";
import type { SupervisorDeps } from "./deps.ts";
import { revokeLeftoverTokens } from "./leftover-tokens.ts";
import { SessionLanes } from "./session-lanes.ts";
import { recoverAfterRestart } from "./startup-recovery.ts";
import { PermissionGate } from "./permission-gate.ts";
import { TurnControl } from "./turn-control.ts";
import { failTurn } from "./turn-closer.ts";
import { limitsOf, runTurn } from "./turn-runner.ts";
import { WaitingTurns } from "./waiting-turns.ts";

interface ActiveTurn {
  sessionId: string;
  control: TurnControl;
  permissions: PermissionGate;
  done: Promise<void>;
}

const isFinal = (turn: Turn): boolean => turn.status === "succeeded" || turn.status === "failed";

/** The domain API behind the routes: turns queued per session, under a global process cap, cold or hot. */
export class Supervisor {
  readonly slots: ProcessSlots;
  readonly hotPool: HotPool;
  private readonly lanes: SessionLanes;
  private readonly waiting: WaitingTurns;
  private readonly active = new Map<string, ActiveTurn>();
  private stopping = false;

  constructor(private readonly deps: SupervisorDeps) {
    this.slots = new ProcessSlots(deps.config.maxProcesses, deps.bus);
    this.lanes = new SessionLanes(this.slots);
    this.waiting = new WaitingTurns(deps.config.queueLimit, deps.config.userQueueLimit);
    this.hotPool = new HotPool({ config: deps.config, tokens: deps.tokens, slots: this.slots, logger: deps.logger, bus: deps.bus });
  }

  /**
   * Closes turns a previous life left open, ends the processes it left (hot ones too), then
   * revokes their tokens; call once before serving.
   */
  async recover(): Promise<number> {
    const { closed, tokenIds } = await recoverAfterRestart(this.deps);
    const leftovers = await endTaggedProcesses(this.deps.config.instanceTag, this.deps.config.stopGraceMs, INSTANCE_TAG_VAR);
    if (leftovers > 0) this.deps.logger.warn({ leftovers }, "ended claude processes a previous konsole left running");
    await revokeLeftoverTokens(this.deps, tokenIds);
    return closed;
  }

  /** Starts pre-warming hot processes; call after `recover`. */
  startHotPool(): void {
    if (!this.stopping) this.hotPool.start();
  }

  /** Turns accepted and not yet holding a process (queued behind their session or a slot). */
  get waitingTurns(): number {
    return this.waiting.size;
  }

  hotStatus(): HotStatus {
    return this.hotPool.status();
  }

  setHotPoolSize(targetSize: number): HotStatus {
    this.hotPool.setTargetSize(targetSize);
    return this.hotPool.status();
  }

  startTurn(sessionId: string, params: StartTurnParams): TurnAccepted {
    if (this.stopping) throw new ApiError("unavailable", "konsole is shutting down");
    this.waiting.checkRoom(params.userId);
    checkWorkspaceFiles(params.files);
    if (params.mode === "hot") this.checkHotLife(params.executionTimeoutSec);
    if (params.cwd) prepareWorkingDir(params.cwd);
    const session = this.deps.sessions.ensure(sessionId, params.cwd ?? workspaceDir(this.deps.config.dataDir, sessionId));
    if (!session.claudeSessionId && params.mode === "cold") prepareWorkingDir(session.cwd);
    const queuePosition = this.lanes.depth(sessionId);
    const row = this.deps.turns.draft({ sessionId, userId: params.userId, requestId: params.requestId, mode: params.mode, limits: limitsOf(params) });
    const turn = turnFromRow(row);
    const control = new TurnControl(this.deps.config.stopGraceMs);
    const permissions = new PermissionGate({
      permissions: params.permissions,
      journal: (payload) => this.deps.journal.append(turn.id, sessionId, payload),
      logger: this.deps.logger.child({ turnId: turn.id, sessionId }),
    });
    let finish = (): void => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.active.set(turn.id, { sessionId, control, permissions, done });
    this.waiting.add(turn.id, params.userId);
    const started = () => this.waiting.remove(turn.id);
    this.lanes.enqueue({
      id: turn.id,
      sessionId,
      // A hot turn takes a slot itself, and only when it has to start a process.
      needsSlot: params.mode === "cold",
      owner: params.userId,
      run: async () => {
        try {
          await runTurn(this.deps, { turnId: turn.id, sessionId, params, control, permissions, started }, this.hotPool);
        } finally {
          started();
          this.active.delete(turn.id);
          finish();
        }
      },
      cancel: () => {
        started();
        this.active.delete(turn.id);
        finish();
      },
    });
    // Stored once the job is in its lane: a hot prompt for the session's live process has been
    // written to it by now, so the CLI starts on it while this is stored. Everything that
    // touches the row runs later (the running mark is a microtask away, output is I/O).
    this.deps.turns.insert(row);
    this.deps.journal.append(turn.id, turn.sessionId, { type: "turn", turn });
    return { turn, queuePosition };
  }

  /**
   * Binds a session konsole has not run yet to an existing Claude conversation (one a person
   * started in a terminal): its next turn resumes it in `cwd`, hot or cold, under konsole's
   * guardrails. `knownFiles` are where the observer saw the conversation's transcript.
   */
  async adoptConversation(sessionId: string, request: AdoptConversationRequest, knownFiles: readonly string[]): Promise<KonsoleSession> {
    if (this.stopping) throw new ApiError("unavailable", "konsole is shutting down");
    const { claudeSessionId, cwd } = request;
    const existing = this.deps.sessions.get(sessionId);
    if (existing?.claudeSessionId || this.lanes.depth(sessionId) > 0) {
      throw new ApiError("conflict", `Session ${sessionId} already has a conversation of its own`);
    }
    if (this.holdsConversation(claudeSessionId)) {
      throw new ApiError("conflict", `konsole is running conversation ${claudeSessionId} for another session; adopt it once that process is gone`);
    }
    prepareWorkingDir(cwd);
    const placed = await placeTranscript(transcriptPath(this.deps.config.childEnv, cwd, claudeSessionId), knownFiles);
    this.deps.sessions.ensure(sessionId, cwd);
    this.deps.sessions.setConversation(sessionId, claudeSessionId, cwd);
    this.deps.logger.info({ sessionId, claudeSessionId, cwd, transcript: placed }, "session adopted a conversation");
    return this.getSession(sessionId);
  }

  /** A live process (hot, or a running turn's) holds this conversation. */
  private holdsConversation(claudeSessionId: string): boolean {
    return (
      this.hotPool.status().processes.some((process) => process.sessionId !== null && process.claudeSessionId === claudeSessionId) ||
      this.deps.turns.withStatus(["running"]).some((turn) => turn.claudeSessionId === claudeSessionId)
    );
  }

  /** A hot process never outlives its token, so a turn longer than a fresh one's life is refused up front. */
  private checkHotLife(executionTimeoutSec: number | undefined): void {
    const limitSec = this.hotPool.freshLifeSec;
    const shortfall = hotLifeShortfall(executionTimeoutSec, limitSec);
    if (shortfall) throw new ApiError("bad_request", shortfall, { executionTimeoutSec, limitSec });
  }

  getTurn(turnId: string): Turn {
    const row = this.deps.turns.get(turnId);
    if (!row) throw new ApiError("not_found", `No turn ${turnId}`);
    return turnFromRow(row);
  }

  /** Resolves with the turn once it has finished. */
  waitForTurn(turnId: string): Promise<Turn> {
    return new Promise((resolve) => {
      const unsubscribe = this.deps.bus.on("turn.ended", ({ turn }) => {
        if (turn.id !== turnId) return;
        unsubscribe();
        resolve(turn);
      });
      const current = this.getTurn(turnId);
      if (isFinal(current)) {
        unsubscribe();
        resolve(current);
      }
    });
  }

  listTurns(sessionId: string): Turn[] {
    return this.deps.turns.listForSession(sessionId).map(turnFromRow);
  }

  getSession(sessionId: string): KonsoleSession {
    const row = this.deps.sessions.get(sessionId);
    if (!row) throw new ApiError("not_found", `No session ${sessionId}`);
    const running = [...this.active.entries()].find(
      ([turnId, turn]) => turn.sessionId === sessionId && this.deps.turns.get(turnId)?.status === "running",
    );
    return {
      id: row.id,
      claudeSessionId: row.claudeSessionId,
      cwd: row.cwd,
      hot: this.hotPool.hasLiveProcess(sessionId),
      queued: this.lanes.waitingIn(sessionId),
      runningTurnId: running?.[0] ?? null,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  /** Stops a running turn (interrupt, grace, then the process group) or drops a queued one. */
  async interruptTurn(turnId: string): Promise<Turn> {
    const turn = this.getTurn(turnId);
    if (isFinal(turn)) throw new ApiError("conflict", `Turn ${turnId} has already finished (${turn.status})`);
    if (this.lanes.remove(turnId)) {
      return failTurn(this.deps, turnId, { code: "interrupted", message: "Turn was interrupted before it started." });
    }
    const active = this.active.get(turnId);
    if (active) {
      await active.control.stop("interrupted");
      await this.waitForTurn(turnId);
    }
    return this.getTurn(turnId);
  }

  /** Writes an answer to a tool permission request the turn's process waits on (404 when none waits). */
  answerPermission(turnId: string, requestId: string, answer: PermissionAnswer): void {
    const turn = this.getTurn(turnId);
    const active = this.active.get(turnId);
    if (!active || isFinal(turn)) throw new ApiError("not_found", `Turn ${turnId} is not running; nothing waits for an answer`);
    active.permissions.answer(requestId, answer);
  }

  /** Forgets the session's conversation so its next turn starts a new one; waits for turns queued before. */
  async resetSession(sessionId: string): Promise<KonsoleSession> {
    this.getSession(sessionId);
    await new Promise<void>((resolve, reject) => {
      this.lanes.enqueue({
        id: `reset-${sessionId}-${Date.now()}`,
        sessionId,
        needsSlot: false,
        owner: "",
        run: async () => {
          try {
            await this.hotPool.retireSession(sessionId, "reset");
            await this.forgetConversation(sessionId);
            resolve();
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        cancel: () => reject(new ApiError("conflict", `Session ${sessionId} was ended before the reset ran`)),
      });
    });
    return this.getSession(sessionId);
  }

  private async forgetConversation(sessionId: string): Promise<void> {
    const row = this.deps.sessions.get(sessionId);
    if (!row?.claudeSessionId) return;
    const file = transcriptPath(this.deps.config.childEnv, row.cwd, row.claudeSessionId);
    this.deps.sessions.setConversation(sessionId, null);
    const deleted = await deleteTranscript(file);
    this.deps.logger.info({ sessionId, claudeSessionId: row.claudeSessionId, transcriptDeleted: deleted }, "session memory reset");
  }

  /** Ends a session: queued turns fail, the running one's process group is ended, the session is forgotten. */
  async endSession(sessionId: string): Promise<void> {
    this.getSession(sessionId);
    await this.endTurns("session_ended", sessionId);
    await this.hotPool.retireSession(sessionId, "session_ended");
    this.deps.sessions.delete(sessionId);
  }

  /** Fails the queued turns and ends the running ones of one session, or of all. */
  private async endTurns(reason: "session_ended" | "supervisor_restarted", sessionId?: string): Promise<void> {
    const message = reason === "session_ended" ? "The session was ended before this turn started." : "konsole shut down before this turn started.";
    for (const job of this.lanes.cancelWaiting(sessionId)) {
      if (this.deps.turns.get(job.id)?.status === "queued") failTurn(this.deps, job.id, { code: reason, message });
    }
    const running = [...this.active.values()].filter((turn) => sessionId === undefined || turn.sessionId === sessionId);
    await Promise.all(running.map((turn) => turn.control.stop(reason, { interruptFirst: reason !== "session_ended" })));
    await Promise.all(running.map((turn) => turn.done));
  }

  /** Refuses new turns, fails queued ones, ends the running ones' processes and retires every hot process. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.endTurns("supervisor_restarted");
    await this.hotPool.stop();
  }
}

/** A working directory the caller named must be absolute and creatable: a 400 now, not a failed turn later. */
function prepareWorkingDir(dir: string): void {
  if (!path.isAbsolute(dir)) throw new ApiError("bad_request", `cwd must be an absolute path, got ${JSON.stringify(dir)}`, { cwd: dir });
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new ApiError("bad_request", `cwd ${dir} cannot be used as a working directory (${code})`, { cwd: dir });
  }
}
