import { BudgetName, DEFAULT_BUDGETS, type Budgets, type UpdateBudgetsRequest } from "@kon/protocol";
import { eq } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import { budgets } from "../db/schema.ts";
import type { Clock } from "../time.ts";

/** The API's field for each budget. */
export const budgetField = {
  turn: "turn_usd",
  session: "session_usd",
  user_day: "user_day_usd",
  user_month: "user_month_usd",
  agent_day: "agent_day_usd",
} as const satisfies Record<BudgetName, keyof Budgets>;

/** The dollar limits admins set; every one is off until set. */
export class BudgetStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  get(): Budgets {
    const limits: Budgets = { ...DEFAULT_BUDGETS };
    for (const row of this.db.select().from(budgets).all()) {
      const name = BudgetName.safeParse(row.name);
      if (name.success) limits[budgetField[name.data]] = row.limitUsd;
    }
    return limits;
  }

  update(change: UpdateBudgetsRequest): Budgets {
    const at = this.now();
    this.db.transaction((tx) => {
      for (const name of BudgetName.options) {
        const limit = change[budgetField[name]];
        if (limit === undefined) continue;
        if (limit === null) tx.delete(budgets).where(eq(budgets.name, name)).run();
        else tx.insert(budgets).values({ name, limitUsd: limit, updatedAt: at }).onConflictDoUpdate({ target: budgets.name, set: { limitUsd: limit, updatedAt: at } }).run();
      }
    });
    return this.get();
  }
}
