import type { Message } from "@kon/protocol";
import { CACHE_PCT_MEANING, formatCachePct, formatCost, formatDuration, formatTokens } from "../logic/format.ts";
import { TimingBar } from "./timing-bar.tsx";

/** The figures under an assistant reply: duration, cost, tokens, last cache, timing bar. */
export function TurnFigures({ message }: { message: Message }) {
  return (
    <footer class="figures">
      <div class="figure-line">
        {message.durationMs !== null && <span title="How long the turn took">{formatDuration(message.durationMs)}</span>}
        {message.costUsd !== null && <span title="What this turn cost">{formatCost(message.costUsd)}</span>}
        {message.tokens && <span>{formatTokens(message.tokens)}</span>}
        {message.lastCachePct !== null && (
          <span class="cache" title={CACHE_PCT_MEANING}>
            {formatCachePct(message.lastCachePct)}
          </span>
        )}
        {message.model && <span class="muted">{message.model}</span>}
      </div>
      {message.timing && <TimingBar timing={message.timing} />}
    </footer>
  );
}
