import type { UsageRow } from "@kon/protocol";
import { totalTokens } from "./format.ts";

export interface DaySeries {
  /** UTC days, ascending, every day from the first to the last (missing ones are zero). */
  days: string[];
  /** One series per name (user or agent, or "all"), aligned with `days`. */
  series: { name: string; values: number[] }[];
}

export type UsageMeasure = "cost" | "tokens";

const measureOf = (row: UsageRow, measure: UsageMeasure) => (measure === "cost" ? row.costUsd : totalTokens(row.tokens));

function dayRange(since: string, until: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${until}T00:00:00Z`);
  for (let t = Date.parse(`${since}T00:00:00Z`); t <= end && days.length < 1000; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Who a row counts for: a deleted user's spending stays, under their id. */
const userOf = (row: UsageRow): string => row.username ?? `deleted user ${row.userId.slice(0, 8)}`;

/** Per-day figures split by `by` ("all" for one total series). */
export function usageByDay(rows: readonly UsageRow[], since: string, until: string, measure: UsageMeasure, by: "all" | "user" | "agent"): DaySeries {
  const days = dayRange(since, until);
  const index = new Map(days.map((d, i) => [d, i]));
  const byName = new Map<string, number[]>();
  for (const row of rows) {
    const name = by === "all" ? "all" : by === "user" ? userOf(row) : row.agent;
    const i = index.get(row.day);
    if (i === undefined) continue;
    let values = byName.get(name);
    if (!values) byName.set(name, (values = days.map(() => 0)));
    values[i] = (values[i] ?? 0) + measureOf(row, measure);
  }
  const series = [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, values]) => ({ name, values }));
  return { days, series };
}

export interface UsageTotal {
  name: string;
  turns: number;
  costUsd: number;
  tokens: number;
}

export function usageTotals(rows: readonly UsageRow[], by: "user" | "agent"): UsageTotal[] {
  const totals = new Map<string, UsageTotal>();
  for (const row of rows) {
    const name = by === "user" ? userOf(row) : row.agent;
    const t = totals.get(name) ?? { name, turns: 0, costUsd: 0, tokens: 0 };
    t.turns += row.turns;
    t.costUsd += row.costUsd;
    t.tokens += totalTokens(row.tokens);
    totals.set(name, t);
  }
  return [...totals.values()].sort((a, b) => b.costUsd - a.costUsd || a.name.localeCompare(b.name));
}
