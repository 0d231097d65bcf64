import type { UsageBlock } from "@kon/protocol";
import { formatCost, formatCount } from "../logic/format.ts";
import { formatMinutes, tokenTotal } from "../logic/host.ts";

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** The 5-hour usage block now running (as `ccusage blocks` counts them): so far, burn rate, where it ends. */
export function UsageBlockCard({ block }: { block: UsageBlock | undefined }) {
  if (!block) {
    return (
      <section class="card block-card" aria-label="Current 5-hour block">
        <h2>Current 5-hour block</h2>
        <p class="muted">No usage in the last 5 hours: the next message starts a new block.</p>
      </section>
    );
  }
  return (
    <section class="card block-card" aria-label="Current 5-hour block">
      <h2>
        Current 5-hour block{" "}
        <span class="muted small">
          {time(block.start)}–{time(block.end)}
        </span>
      </h2>
      <dl class="figures-grid">
        <div>
          <dt>So far</dt>
          <dd>
            {formatCost(block.usage.costUsd)} · {formatCount(tokenTotal(block.usage.tokens))} tokens
          </dd>
        </div>
        <div>
          <dt>Burn rate</dt>
          <dd>{block.burnRate ? `${formatCost(block.burnRate.costPerHour)}/h · ${formatCount(Math.round(block.burnRate.tokensPerMinute))} tokens/min` : "—"}</dd>
        </div>
        <div>
          <dt>Projected at the end</dt>
          <dd>
            {block.projection
              ? `${formatCost(block.projection.costUsd)} · ${formatCount(Math.round(block.projection.totalTokens))} tokens`
              : "—"}
          </dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{block.projection ? formatMinutes(block.projection.remainingMinutes) : "—"}</dd>
        </div>
      </dl>
    </section>
  );
}
