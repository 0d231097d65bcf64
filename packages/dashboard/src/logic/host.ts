import type { ObservedSession, ObservedTokens, ObservedUsageRow } from "@kon/protocol";

export const HOST_STATE_LABEL = { running: "Running", idle: "Idle", ended: "Ended" } as const;

export function hostTitle(session: Pick<ObservedSession, "title" | "id">): string {
  const title = session.title?.replace(/\s+/g, " ").trim();
  return title ? (title.length > 120 ? `${title.slice(0, 119)}…` : title) : `Session ${session.id.slice(0, 8)}`;
}

export function tokenTotal(tokens: ObservedTokens): number {
  return tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h;
}

/** The folder a session ran in, shortened to its last parts for a list. */
export function shortPath(cwd: string | null, parts = 3): string {
  if (!cwd) return "unknown folder";
  const segments = cwd.split("/").filter(Boolean);
  return segments.length <= parts ? cwd : `…/${segments.slice(-parts).join("/")}`;
}

export interface HourSeries {
  /** Unix seconds of each hour, ascending. */
  xs: number[];
  cost: number[];
  tokens: number[];
}

/** A session's hourly usage rows (keys `2026-11-20T21:00:00Z`) as chart series. */
export function hourSeries(rows: readonly ObservedUsageRow[]): HourSeries {
  const sorted = [...rows].sort((a, b) => a.key.localeCompare(b.key));
  return {
    xs: sorted.map((row) => Date.parse(row.key) / 1000),
    cost: sorted.map((row) => row.costUsd),
    tokens: sorted.map((row) => tokenTotal(row.tokens)),
  };
}

/** "3 h 20 min", for a block's remaining time. */
export function formatMinutes(minutes: number): string {
  const rounded = Math.max(0, Math.round(minutes));
  const hours = Math.floor(rounded / 60);
  return hours > 0 ? `${hours} h ${rounded % 60} min` : `${rounded} min`;
}
