import type { HotStatus, Turn } from "@kon/protocol";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { KonsoleBus } from "../events/bus.ts";

/** What the gauges read at scrape time. */
export interface KonsoleGaugeSources {
  hotStatus(): HotStatus;
  /** Live Claude processes (each holds a slot: cold, hot and warming alike). */
  slotsInUse(): number;
  slotCapacity(): number;
  /** Callers waiting for a process slot. */
  slotWaiters(): number;
  /** Turns accepted and not yet running (the queue `KONSOLE_QUEUE_LIMIT` bounds). */
  waitingTurns(): number;
}

const TURN_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
const TTFE_SECONDS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const WAIT_SECONDS = [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300];
const PASS_SECONDS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

/** `succeeded`, or the error code a failed turn ended with. */
export const outcomeOf = (turn: Turn): string => (turn.status === "succeeded" ? "succeeded" : (turn.error?.code ?? "failed"));

/** konsole's Prometheus registry: counters fed by the bus, gauges read from `sources` at scrape time. */
export function createKonsoleMetrics(bus: KonsoleBus, sources: KonsoleGaugeSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const turns = new Counter({ name: "konsole_turns_total", help: "Finished turns by outcome (succeeded or the error code) and mode", labelNames: ["outcome", "mode"], registers });
  const turnsStarted = new Counter({ name: "konsole_turns_started_total", help: "Turns that got a process, by mode", labelNames: ["mode"], registers });
  const duration = new Histogram({ name: "konsole_turn_duration_seconds", help: "Turn wall time from prompt to result", labelNames: ["mode"], buckets: TURN_SECONDS, registers });
  const ttfe = new Histogram({ name: "konsole_turn_ttfe_seconds", help: "Time from prompt to the first model output", labelNames: ["mode"], buckets: TTFE_SECONDS, registers });
  const cost = new Counter({ name: "konsole_turn_cost_usd_total", help: "Cost of finished turns in USD, by model", labelNames: ["model"], registers });
  const tokens = new Counter({ name: "konsole_turn_tokens_total", help: "Tokens of finished turns, by model and kind", labelNames: ["model", "kind"], registers });
  bus.on("turn.started", ({ mode }) => turnsStarted.inc({ mode }));
  bus.on("turn.ended", ({ turn }) => {
    turns.inc({ outcome: outcomeOf(turn), mode: turn.mode });
    const figures = turn.figures;
    if (!figures) return;
    duration.observe({ mode: turn.mode }, figures.totalMs / 1000);
    if (figures.ttfeMs !== null) ttfe.observe({ mode: turn.mode }, figures.ttfeMs / 1000);
    const model = figures.model ?? "unknown";
    if (figures.costUsd !== null) cost.inc({ model }, figures.costUsd);
    for (const [kind, count] of Object.entries(figures.tokens)) if (count > 0) tokens.inc({ model, kind }, count);
  });

  new Gauge({ name: "konsole_processes_live", help: "Live Claude processes (cold and hot), each holding a slot", registers, collect() { this.set(sources.slotsInUse()); } });
  new Gauge({ name: "konsole_process_slots", help: "The cap on live Claude processes (KONSOLE_MAX_PROCESSES)", registers, collect() { this.set(sources.slotCapacity()); } });
  new Gauge({ name: "konsole_slot_waiters", help: "Callers waiting for a process slot", registers, collect() { this.set(sources.slotWaiters()); } });
  new Gauge({ name: "konsole_queue_depth", help: "Turns accepted and not yet running", registers, collect() { this.set(sources.waitingTurns()); } });
  const slotWait = new Histogram({ name: "konsole_slot_wait_seconds", help: "How long a slot was waited for", buckets: WAIT_SECONDS, registers });
  bus.on("slot.acquired", ({ waitedMs }) => slotWait.observe(waitedMs / 1000));

  new Gauge({
    name: "konsole_hot_processes",
    help: "Hot processes by state, pooled (unbound) or bound to a session",
    labelNames: ["state", "pooled"],
    registers,
    collect() {
      this.reset();
      for (const process of sources.hotStatus().processes) this.inc({ state: process.state, pooled: String(process.sessionId === null) });
    },
  });
  new Gauge({ name: "konsole_hot_pool_size", help: "Pre-warmed processes no session has claimed", registers, collect() { this.set(sources.hotStatus().poolSize); } });
  new Gauge({ name: "konsole_hot_pool_target", help: "The pool's target size", registers, collect() { this.set(sources.hotStatus().targetSize); } });
  new Gauge({ name: "konsole_hot_refill_stopped", help: "1 while the pool has stopped refilling after repeated failures", registers, collect() { this.set(sources.hotStatus().refill.stopped ? 1 : 0); } });
  const spawned = new Counter({ name: "konsole_hot_spawned_total", help: "Hot processes spawned, for the pool or for a session", labelNames: ["pooled"], registers });
  const ready = new Counter({ name: "konsole_hot_ready_total", help: "Hot processes that settled (stayed alive through the settle time)", labelNames: ["pooled"], registers });
  const claimed = new Counter({ name: "konsole_hot_claimed_total", help: "Pre-warmed processes a new conversation took", registers });
  const ended = new Counter({ name: "konsole_hot_ended_total", help: "Hot processes gone, by why (evicted, idle, died, ...)", labelNames: ["reason"], registers });
  const refillFailed = new Counter({ name: "konsole_hot_refill_failures_total", help: "Pool refills that failed", registers });
  const backoff = new Gauge({ name: "konsole_hot_refill_backoff_seconds", help: "The pause after the last failed refill", registers });
  bus.on("hot.spawned", ({ pooled }) => spawned.inc({ pooled: String(pooled) }));
  bus.on("hot.ready", ({ pooled }) => ready.inc({ pooled: String(pooled) }));
  bus.on("hot.claimed", () => claimed.inc());
  bus.on("hot.ended", ({ reason }) => ended.inc({ reason }));
  bus.on("hot.refill_failed", ({ backoffMs }) => {
    refillFailed.inc();
    backoff.set((backoffMs ?? 0) / 1000);
  });

  const issued = new Counter({ name: "konsole_process_tokens_issued_total", help: "Process tokens konui granted, for the pool or bound", labelNames: ["pooled"], registers });
  const bound = new Counter({ name: "konsole_process_tokens_bound_total", help: "Pool tokens bound to the session that claimed their process", registers });
  const revoked = new Counter({ name: "konsole_process_tokens_revoked_total", help: "Process token revocations, by whether konui confirmed", labelNames: ["result"], registers });
  bus.on("token.issued", ({ pooled }) => issued.inc({ pooled: String(pooled) }));
  bus.on("token.bound", () => bound.inc());
  bus.on("token.revoked", ({ ok }) => revoked.inc({ result: ok ? "ok" : "failed" }));

  const streams = new Gauge({ name: "konsole_journal_streams", help: "Open journal WebSockets", registers });
  const dropped = new Counter({ name: "konsole_journal_streams_dropped_total", help: "Journal WebSockets closed for not keeping up", registers });
  bus.on("stream.opened", () => streams.inc());
  bus.on("stream.closed", (event) => {
    streams.dec();
    if (event.dropped) dropped.inc();
  });

  const lag = new Gauge({ name: "konsole_observer_lag_seconds", help: "How long the last observer pass's oldest change waited to be indexed", registers });
  const pass = new Histogram({ name: "konsole_observer_pass_seconds", help: "Observer pass durations", buckets: PASS_SECONDS, registers });
  bus.on("observer.pass", ({ durationMs, lagMs }) => {
    lag.set(lagMs / 1000);
    pass.observe(durationMs / 1000);
  });
  return registry;
}
