import type { Turn } from "@kon/protocol";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { KonuiBus } from "../events/bus.ts";

/** What the gauges read at scrape time. */
export interface KonuiGaugeSources {
  liveSockets(): number;
  /** Live bound process tokens (one per Claude process serving a session) and unbound pool ones. */
  processTokens(): { bound: number; pooled: number };
  /** Decisions waiting for a person, by agent and kind (tool, question). */
  pendingDecisions(): { agent: string; kind: string; count: number }[];
}

/** `succeeded`, or the error code a failed turn ended with. */
const outcomeOf = (turn: Turn): string => (turn.status === "succeeded" ? "succeeded" : (turn.error?.code ?? "failed"));

/** konui's Prometheus registry: counters fed by the bus, gauges read from `sources` at scrape time. */
export function createKonuiMetrics(bus: KonuiBus, sources: KonuiGaugeSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({ name: "konui_live_sockets", help: "Open dashboard WebSockets (/api/live)", registers, collect() { this.set(sources.liveSockets()); } });
  const opened = new Counter({ name: "konui_live_sockets_opened_total", help: "Dashboard WebSockets opened", registers });
  const closed = new Counter({ name: "konui_live_sockets_closed_total", help: "Dashboard WebSockets closed, by cause (client, too_slow, access_lost)", labelNames: ["cause"], registers });
  bus.on("live.opened", () => opened.inc());
  bus.on("live.closed", ({ cause }) => closed.inc({ cause }));

  new Gauge({
    name: "konui_process_tokens_live",
    help: "Unexpired process tokens, bound to a session or pooled",
    labelNames: ["pooled"],
    registers,
    collect() {
      const { bound, pooled } = sources.processTokens();
      this.set({ pooled: "false" }, bound);
      this.set({ pooled: "true" }, pooled);
    },
  });
  new Gauge({
    name: "konui_decisions_pending",
    help: "Decisions (tool approvals, agent questions) waiting for a person, by agent and kind",
    labelNames: ["agent", "kind"],
    registers,
    collect() {
      this.reset();
      for (const { agent, kind, count } of sources.pendingDecisions()) this.set({ agent, kind }, count);
    },
  });
  const issued = new Counter({ name: "konui_tokens_issued_total", help: "Tokens issued, by kind", labelNames: ["kind", "pooled"], registers });
  const bound = new Counter({ name: "konui_tokens_bound_total", help: "Pool process tokens bound to a session", labelNames: ["kind"], registers });
  const revoked = new Counter({ name: "konui_tokens_revoked_total", help: "Tokens revoked, by kind", labelNames: ["kind"], registers });
  const swept = new Counter({ name: "konui_tokens_swept_total", help: "Expired tokens deleted by the sweeper, by kind", labelNames: ["kind"], registers });
  bus.on("token.issued", ({ kind, pooled }) => issued.inc({ kind, pooled: String(pooled) }));
  bus.on("token.bound", ({ kind }) => bound.inc({ kind }));
  bus.on("token.revoked", ({ kind, count }) => revoked.inc({ kind }, count));
  bus.on("token.swept", ({ kind, count }) => swept.inc({ kind }, count));

  const accessLost = new Counter({ name: "konui_access_lost_total", help: "Logins that lost access, by reason", labelNames: ["reason"], registers });
  bus.on("access.lost", ({ reason }) => accessLost.inc({ reason }));

  const turns = new Counter({ name: "konui_turns_total", help: "Turns recorded, by agent, outcome and mode", labelNames: ["agent", "outcome", "mode"], registers });
  const cost = new Counter({ name: "konui_turn_cost_usd_total", help: "Cost of recorded turns in USD, by agent and model", labelNames: ["agent", "model"], registers });
  const tokens = new Counter({ name: "konui_turn_tokens_total", help: "Tokens of recorded turns, by agent, model and kind", labelNames: ["agent", "model", "kind"], registers });
  bus.on("turn.recorded", ({ agent, turn }) => {
    turns.inc({ agent, outcome: outcomeOf(turn), mode: turn.mode });
    const figures = turn.figures;
    if (!figures) return;
    const model = figures.model ?? "unknown";
    if (figures.costUsd !== null) cost.inc({ agent, model }, figures.costUsd);
    for (const [kind, count] of Object.entries(figures.tokens)) if (count > 0) tokens.inc({ agent, model, kind }, count);
  });
  return registry;
}
