import type { TokenCounts, TurnTiming } from "@kon/protocol";

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "$0.0000";
  return `$${usd.toFixed(4)}`;
}

/** Dollars as an admin typed them: "$5", "$0.25", "$0.0012". */
export function formatBudget(usd: number): string {
  return `$${Number(usd.toFixed(usd >= 1 ? 2 : 4))}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const sec = ms / 1000;
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const min = Math.floor(sec / 60);
  const rest = Math.round(sec - min * 60);
  return `${min} min ${rest} s`;
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function totalTokens(tokens: TokenCounts): number {
  return tokens.input + tokens.output + tokens.cacheRead + tokens.cacheCreation;
}

export function formatTokens(tokens: TokenCounts | null): string {
  if (!tokens) return "—";
  return `${formatCount(totalTokens(tokens))} tokens (${formatCount(tokens.input)} in, ${formatCount(tokens.output)} out, ${formatCount(tokens.cacheRead)} cached)`;
}

export function formatCachePct(pct: number): string {
  return `Last cache ${Math.round(pct)}%`;
}

export const CACHE_PCT_MEANING =
  "How much of the model's context window the conversation filled on its last call (read from the prompt cache). Near 100% the CLI compacts older context and the agent may forget details.";

/** Relative time for lists ("5 min ago"), from an ISO date and the current time. */
export function formatAgo(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const sec = Math.max(0, Math.round((now - then) / 1000));
  if (sec < 45) return "just now";
  const min = Math.round(sec / 60);
  if (min < 60) return `${min} min ago`;
  const hours = Math.round(min / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return `${days} d ago`;
  return new Date(then).toISOString().slice(0, 10);
}

export interface TimingSegment {
  key: "ttfe" | "thinking" | "tools" | "other";
  label: string;
  ms: number;
  /** Share of the total, 0-100. */
  pct: number;
}

/** The parts of a turn's time for the timing bar; "other" is what the three named parts leave. */
export function timingSegments(timing: Partial<TurnTiming>): TimingSegment[] {
  const total = timing.totalMs ?? 0;
  if (total <= 0) return [];
  const parts: [TimingSegment["key"], string, number][] = [
    ["ttfe", "Time to first output", timing.ttfeMs ?? 0],
    ["thinking", "Thinking and writing", timing.thinkingMs ?? 0],
    ["tools", "Tools", timing.toolExecutionMs ?? 0],
  ];
  const named = parts.reduce((sum, [, , ms]) => sum + ms, 0);
  parts.push(["other", "Other", Math.max(0, total - named)]);
  const scale = Math.max(total, named);
  return parts
    .filter(([, , ms]) => ms > 0)
    .map(([key, label, ms]) => ({ key, label, ms, pct: Math.round((ms / scale) * 1000) / 10 }));
}

export function timingSummary(timing: Partial<TurnTiming>): string {
  return timingSegments(timing)
    .map((s) => `${s.label} ${formatDuration(s.ms)}`)
    .concat(timing.toolCallCount ? [`${timing.toolCallCount} tool call${timing.toolCallCount === 1 ? "" : "s"}`] : [])
    .join(", ");
}
