import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import type { HotStatus } from "@kon/protocol";
import type { Conversation } from "../claude/args.ts";
import { howItEnded, type ProcessExit } from "../claude/claude-process.ts";
import type { KonsoleConfig } from "../config.ts";
import type { KonsoleBus } from "../events/bus.ts";
import type { Logger } from "../logger.ts";
import type { ProcessSlots } from "./process-slots.ts";
import { workspaceDir } from "../workspace-files.ts";
import type { ProcessTokenClient } from "../tokens/process-token-client.ts";
import { dueRetirement, type RetireReason } from "./hot-lifetime.ts";
import type { HotProcess, HotBinding } from "./hot-process.ts";
import { FreshLife } from "./fresh-life.ts";
import { poolProfile, sameProfile, type HotProfile } from "./hot-profile.ts";
import { HotLifeTooShortError, spawnHotProcess, type HotSpawnRequest } from "./hot-spawn.ts";
import { planPool } from "./pool-plan.ts";
import { readRssBytes } from "./process-rss.ts";
import { RefillBackoff } from "./refill-backoff.ts";
import { WantedProfiles } from "./wanted-profiles.ts";

export interface HotPoolDeps {
  config: KonsoleConfig;
  tokens: ProcessTokenClient;
  slots: ProcessSlots;
  logger: Logger;
  bus: KonsoleBus;
}

function describeExit(exit: ProcessExit, stderr: string): string {
  if (exit.spawnError) return `could not start claude: ${exit.spawnError}`;
  const how = howItEnded(exit);
  const tail = stderr.trim().slice(-300);
  return `claude ${how} while warming${tail ? `: ${tail}` : ""}`;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Every hot process konsole has: pre-warmed ones waiting for a new conversation (unbound) and
 * ones bound to a session. Each holds a process slot for its whole life. Refills the pool in
 * the background with the profiles new conversations asked for lately, retires processes at
 * their limits, and gives slots back under pressure.
 */
export class HotPool {
  private readonly processes = new Set<HotProcess>();
  /** Spawns under way (a token may be granted already), so `stop` can wait for them. */
  private readonly spawning = new Set<Promise<HotProcess>>();
  /** Bookkeeping after a process is gone (slot, token, workspace), so `stop` can wait for it. */
  private readonly forgetting = new Set<Promise<void>>();
  private readonly backoff: RefillBackoff;
  private readonly wanted: WantedProfiles;
  private readonly freshLife: FreshLife;
  private readonly logger: Logger;
  private targetSize: number;
  private refilling = false;
  private started = false;
  private stopped = false;
  private refillTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: HotPoolDeps) {
    this.targetSize = deps.config.hotPoolSize;
    this.backoff = new RefillBackoff(deps.config.hotRefillBackoffMs, deps.config.hotRefillMaxFailures);
    this.wanted = new WantedProfiles(poolProfile(deps.config));
    this.freshLife = new FreshLife(deps.config.hotMaxAgeSec);
    this.logger = deps.logger.child({ component: "hot-pool" });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const { hotIdleSec, hotMaxAgeSec } = this.deps.config;
    const sweepMs = Math.min(5_000, Math.max(100, (Math.min(hotIdleSec, hotMaxAgeSec) * 1000) / 4));
    this.sweepTimer = setInterval(() => this.sweep(), sweepMs);
    this.sweepTimer.unref();
    this.unsubscribe.push(
      this.deps.bus.on("slot.waiting", () => this.relievePressure()),
      this.deps.bus.on("slot.released", ({ handedOn }) => {
        if (!handedOn) this.refill();
      }),
    );
    this.refill();
  }

  private get unbound(): HotProcess[] {
    return [...this.processes].filter((hot) => hot.binding === null && hot.state !== "retiring");
  }

  /** The session's process, whatever its state (a dying one is still there until its group is gone). */
  boundTo(sessionId: string): HotProcess | undefined {
    return [...this.processes].find((hot) => hot.binding?.sessionId === sessionId);
  }

  hasLiveProcess(sessionId: string): boolean {
    return this.boundTo(sessionId)?.alive === true;
  }

  /** How long a hot process started now may live, in seconds. */
  get freshLifeSec(): number {
    return this.freshLife.seconds;
  }

  /**
   * Takes a pre-warmed process (with `minLifeSec` left) for a new conversation and binds its
   * token to the session; undefined when none fits (or konui refused the binding). Either way
   * the profile becomes the one the pool warms first.
   */
  async claim(profile: HotProfile, binding: HotBinding, minLifeSec: number): Promise<HotProcess | undefined> {
    this.wanted.note(profile);
    const lifeNeededUntil = Date.now() + minLifeSec * 1000;
    const candidates = this.unbound.filter((hot) => hot.available && sameProfile(hot.profile, profile) && hot.retireAt > lifeNeededUntil);
    const hot = candidates.find((candidate) => candidate.state === "idle") ?? candidates[0];
    if (!hot) {
      this.refill();
      return undefined;
    }
    hot.take();
    hot.binding = binding;
    this.deps.bus.publish({ type: "hot.claimed", processId: hot.process.id });
    try {
      await this.deps.tokens.bind(hot.tokenId, binding);
    } catch (error) {
      this.logger.warn({ err: error, processId: hot.process.id }, "could not bind a pool process token; not using the pool");
      hot.binding = null;
      void hot.retire("replaced");
      return undefined;
    } finally {
      this.refill();
    }
    return hot;
  }

  /** Spawns a process bound to a session (waiting for a slot, evicting an idle one at the cap), taken for a prompt. */
  async spawnFor(request: HotSpawnRequest & { binding: HotBinding }): Promise<HotProcess> {
    await this.deps.slots.acquire(request.binding.userId);
    let hot: HotProcess;
    try {
      hot = await this.spawn(request);
    } catch (error) {
      this.deps.slots.release();
      throw error;
    }
    this.register(hot);
    hot.take();
    return hot;
  }

  /** After a prompt: back to idle, or retired when it reached a limit. */
  promptDone(hot: HotProcess): void {
    hot.finishPrompt();
    if (!hot.alive) return;
    const reason = this.dueRetirement(hot, Date.now());
    if (reason) void hot.retire(reason);
    else if (this.deps.slots.waiting > 0) this.relievePressure();
  }

  async retireSession(sessionId: string, reason: RetireReason): Promise<void> {
    const hot = this.boundTo(sessionId);
    if (!hot) return;
    if (hot.alive) await hot.retire(reason);
    await hot.ended;
  }

  /** Changes the pool's target at run time; also lifts a stop after a crash loop. */
  setTargetSize(size: number): void {
    this.targetSize = size;
    this.backoff.reset();
    this.refill();
  }

  status(): HotStatus {
    const now = Date.now();
    const processes = [...this.processes].map((hot) => ({
      pid: hot.pid ?? null,
      sessionId: hot.binding?.sessionId ?? null,
      claudeSessionId: hot.claudeSessionId,
      state: hot.state,
      ageSec: Math.round((now - hot.spawnedAt) / 100) / 10,
      idleSec: hot.available ? Math.round((now - hot.lastUsedAt) / 100) / 10 : 0,
      prompts: hot.prompts,
      rssBytes: hot.alive ? readRssBytes(hot.pid) : null,
      maxTurns: hot.profile.maxTurns,
    }));
    return {
      poolSize: this.unbound.length,
      targetSize: this.targetSize,
      activeSessions: processes.filter((entry) => entry.sessionId !== null && entry.state !== "retiring").length,
      processes,
      refill: {
        failures: this.backoff.failures,
        backoffUntil: this.backoff.backoffUntil === null ? null : new Date(this.backoff.backoffUntil).toISOString(),
        stopped: this.backoff.stopped,
        lastError: this.backoff.lastError,
      },
    };
  }

  /** Retires every hot process (those still being spawned too) and stops refilling. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.refillTimer);
    clearInterval(this.sweepTimer);
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await Promise.allSettled([...this.spawning]);
    await Promise.all([...this.processes].map((hot) => hot.retire("shutdown")));
    await Promise.allSettled([...this.forgetting]);
  }

  /** Retires least recently used available processes while callers wait for a slot. */
  private relievePressure(): void {
    let releasing = [...this.processes].filter((hot) => hot.state === "retiring").length;
    while (this.deps.slots.waiting > releasing) {
      const victim = [...this.processes].filter((hot) => hot.available).sort((a, b) => a.lastUsedAt - b.lastUsedAt)[0];
      if (!victim) return;
      this.logger.info({ pid: victim.pid, sessionId: victim.binding?.sessionId }, "process cap reached; retiring the least recently used idle hot process");
      void victim.retire("evicted");
      releasing += 1;
    }
  }

  private dueRetirement(hot: HotProcess, now: number): RetireReason | null {
    const { hotIdleSec, hotMaxPrompts } = this.deps.config;
    return dueRetirement(
      { bound: hot.binding !== null, prompts: hot.prompts, lastUsedAt: hot.lastUsedAt, retireAt: hot.retireAt },
      { idleMs: hotIdleSec * 1000, maxPrompts: hotMaxPrompts },
      now,
    );
  }

  private sweep(): void {
    const now = Date.now();
    for (const hot of this.processes) {
      if (!hot.available) continue;
      const reason = this.dueRetirement(hot, now);
      if (reason) void hot.retire(reason);
    }
    this.refill();
  }

  /** Spawns one, learning from its token how long the next may live. */
  private spawn(request: HotSpawnRequest): Promise<HotProcess> {
    const spawning = spawnHotProcess(this.deps, request);
    this.spawning.add(spawning);
    spawning.then(
      (hot) => {
        this.spawning.delete(spawning);
        this.freshLife.observe(hot.retireAt - hot.spawnedAt);
      },
      (error: unknown) => {
        this.spawning.delete(spawning);
        if (error instanceof HotLifeTooShortError) this.freshLife.observe(error.lifeSec * 1000);
      },
    );
    return spawning;
  }

  private register(hot: HotProcess): void {
    this.processes.add(hot);
    const { bus } = this.deps;
    const processId = hot.process.id;
    const pooled = hot.binding === null;
    bus.publish({ type: "hot.spawned", processId, pooled });
    void hot.ready.then((ready) => {
      if (ready) bus.publish({ type: "hot.ready", processId, pooled });
    });
    const logger = hot.process.logger;
    void hot.process.exited.then((exit) => {
      if (hot.retireReason === null) logger.warn({ exit, sessionId: hot.binding?.sessionId }, "hot process died");
      else logger.debug({ exit, reason: hot.retireReason }, "hot process retired");
    });
    const forgotten = hot.ended.then(async () => {
      this.processes.delete(hot);
      bus.publish({ type: "hot.ended", processId, reason: hot.retireReason ?? "died" });
      this.deps.slots.release();
      await this.deps.tokens.revoke(hot.tokenId);
      if (hot.binding === null) await rm(hot.cwd, { recursive: true, force: true });
    });
    this.forgetting.add(forgotten);
    void forgotten.finally(() => this.forgetting.delete(forgotten));
  }

  /** Retires unclaimed processes nobody wants now, then warms one of the most wanted profile short of its target. */
  private refill(): void {
    if (!this.started || this.stopped) return;
    const targets = this.wanted.targets(this.targetSize);
    const plan = planPool(targets, this.unbound.filter((hot) => hot.available));
    for (const hot of plan.surplus) {
      const stillWanted = targets.some((target) => target.count > 0 && sameProfile(target.profile, hot.profile));
      void hot.retire(stillWanted ? "pool_shrunk" : "unwanted_profile");
    }
    if (this.refilling || !plan.next) return;
    const profile = plan.next;
    const wait = this.backoff.waitMs();
    if (wait === Number.POSITIVE_INFINITY) return;
    if (wait > 0) {
      clearTimeout(this.refillTimer);
      this.refillTimer = setTimeout(() => this.refill(), wait);
      this.refillTimer.unref();
      return;
    }
    if (!this.deps.slots.tryAcquire()) return;
    this.refilling = true;
    void this.warmOne(profile).finally(() => {
      this.refilling = false;
      this.refill();
    });
  }

  /** Spawns one pool process (holding the slot already taken) and judges whether it started. */
  private async warmOne(profile: HotProfile): Promise<void> {
    const conversation: Conversation = { kind: "new", claudeSessionId: randomUUID() };
    const cwd = workspaceDir(this.deps.config.dataDir, `hot-${conversation.claudeSessionId}`);
    let hot: HotProcess;
    try {
      hot = await this.spawn({ conversation, cwd, profile, binding: null, minLifeSec: 0 });
    } catch (error) {
      this.deps.slots.release();
      this.failed(errorText(error));
      return;
    }
    this.register(hot);
    if (this.stopped) void hot.retire("shutdown");
    if (await hot.ready) {
      this.backoff.recordSuccess();
      return;
    }
    if (hot.binding === null && hot.retireReason === null) this.failed(describeExit(await hot.process.exited, hot.process.stderr));
  }

  private failed(error: string): void {
    this.backoff.recordFailure(error);
    const { failures, stopped } = this.backoff;
    const backoffMs = stopped ? null : this.backoff.waitMs();
    this.deps.bus.publish({ type: "hot.refill_failed", error, failures, backoffMs, stopped });
    if (stopped) this.logger.error({ failures, error }, "hot pool stopped refilling after repeated failures (crash loop)");
    else this.logger.warn({ failures, error, backoffMs }, "hot pool refill failed; backing off");
  }
}
