import type { ClaudeLine, TurnBudget } from "@kon/protocol";
import { costOf } from "../claude/pricing.ts";
import { tokensOf } from "../claude/turn-accumulator.ts";

/**
 * What a running turn has spent, priced from the usage each of its API messages reports (the
 * one price table, subagents' messages too), and the moment it passes what its budget had left.
 * The CLI's `--max-budget-usd` guards the same line from inside; this one holds for every
 * process, a hot one started before the budget changed included.
 */
export class BudgetWatch {
  private readonly costs = new Map<string, number>();
  private crossed = false;

  constructor(
    private readonly budget: TurnBudget,
    private readonly onCrossed: (spentUsd: number) => void,
  ) {}

  get spentUsd(): number {
    let total = 0;
    for (const cost of this.costs.values()) total += cost;
    return total;
  }

  observe(line: ClaudeLine): void {
    if (this.crossed || line.kind !== "event" || line.event.type !== "assistant") return;
    const message = line.event.message;
    if (!message.id || !message.model || !message.usage) return;
    const cost = costOf(message.model, tokensOf(message.usage));
    if (cost === undefined) return;
    // The CLI repeats a message once per content block, with its usage so far.
    this.costs.set(message.id, cost);
    const spent = this.spentUsd;
    if (spent >= this.budget.remainingUsd) {
      this.crossed = true;
      this.onCrossed(spent);
    }
  }
}
