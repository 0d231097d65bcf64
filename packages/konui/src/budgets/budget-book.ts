import { ApiError, BudgetName, type BudgetLeft, type TurnBudget } from "@kon/protocol";
import type { Clock } from "../time.ts";
import { budgetField, type BudgetStore } from "./budget-store.ts";
import type { SpendingLedger, SpendingScope } from "./spending-ledger.ts";

/** Whose spending a turn adds to. */
export interface BudgetSubject {
  sessionId: string;
  userId: string;
  agent: string;
}

const DAY_MS = 86_400_000;

export const usd = (amount: number): string => `$${Number(amount.toFixed(amount >= 1 ? 2 : 4))}`;

const labels: Record<BudgetName, string> = {
  turn: "the per-turn budget",
  session: "the per-session budget",
  user_day: "the per-user daily budget",
  user_month: "the per-user monthly budget",
  agent_day: "the per-agent daily budget",
};

function spentWhen(name: BudgetName, subject: BudgetSubject): string {
  switch (name) {
    case "turn":
      return "";
    case "session":
      return " in this session";
    case "user_day":
      return " by this user today (UTC)";
    case "user_month":
      return " by this user this month (UTC)";
    case "agent_day":
      return ` by agent ${subject.agent} today (UTC)`;
  }
}

/** The limit and what it has counted, in words: "the per-session budget of $5 ($4.2 spent in this session)". */
export function describeBudget(left: BudgetLeft, subject: BudgetSubject): string {
  const spent = left.name === "turn" ? "" : ` (${usd(left.spentUsd)} spent${spentWhen(left.name, subject)})`;
  return `${labels[left.name]} of ${usd(left.limitUsd)}${spent}`;
}

/** What each budget that is set has counted for a subject, and which one a turn of it runs under. */
export class BudgetBook {
  constructor(
    private readonly limits: BudgetStore,
    private readonly ledger: SpendingLedger,
    private readonly now: Clock,
  ) {}

  /** Every budget that is set, with what it counted for this subject. */
  standing(subject: BudgetSubject): BudgetLeft[] {
    const limits = this.limits.get();
    const now = this.now();
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
    const date = new Date(now);
    const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const scopes: Record<BudgetName, SpendingScope | null> = {
      turn: null,
      session: { sessionId: subject.sessionId },
      user_day: { userId: subject.userId, since: dayStart },
      user_month: { userId: subject.userId, since: monthStart },
      agent_day: { agent: subject.agent, since: dayStart },
    };
    return BudgetName.options.flatMap((name) => {
      const limitUsd = limits[budgetField[name]];
      if (limitUsd === null) return [];
      const scope = scopes[name];
      const spentUsd = scope ? this.ledger.spentUsd(scope) : 0;
      return [{ name, limitUsd, spentUsd, remainingUsd: Math.max(0, limitUsd - spentUsd) }];
    });
  }

  /** The budget with the least left; null when none is set. */
  tightest(subject: BudgetSubject): BudgetLeft | null {
    return this.standing(subject).reduce<BudgetLeft | null>((least, left) => (least === null || left.remainingUsd < least.remainingUsd ? left : least), null);
  }

  /** The budget a turn about to start runs under (undefined: none set), or 402 naming the limit it would start over. */
  forNextTurn(subject: BudgetSubject): TurnBudget | undefined {
    const left = this.tightest(subject);
    if (!left) return undefined;
    if (left.remainingUsd <= 0) {
      throw new ApiError("budget_exceeded", `Refused: this turn would start over ${describeBudget(left, subject)}.`, {
        budget: left.name,
        limitUsd: left.limitUsd,
        spentUsd: left.spentUsd,
      });
    }
    return { name: left.name, remainingUsd: left.remainingUsd, description: describeBudget(left, subject) };
  }
}
