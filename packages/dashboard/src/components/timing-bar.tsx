import type { TurnTiming } from "@kon/protocol";
import { formatDuration, timingSegments, timingSummary } from "../logic/format.ts";

/** Where a turn's time went: time to first output, thinking and writing, tools. */
export function TimingBar({ timing }: { timing: Partial<TurnTiming> }) {
  const segments = timingSegments(timing);
  if (segments.length === 0) return null;
  const summary = timingSummary(timing);
  return (
    <div class="timing">
      <div class="timing-bar" role="img" aria-label="Turn timing" title={summary}>
        {segments.map((s) => (
          <span key={s.key} class={`seg seg-${s.key}`} style={{ width: `${s.pct}%` }} />
        ))}
      </div>
      <ul class="timing-legend">
        {segments.map((s) => (
          <li key={s.key}>
            <span class={`swatch seg-${s.key}`} aria-hidden="true" />
            {s.label} {formatDuration(s.ms)}
          </li>
        ))}
        {timing.toolCallCount ? <li>{timing.toolCallCount} tool call{timing.toolCallCount === 1 ? "" : "s"}</li> : null}
      </ul>
    </div>
  );
}
