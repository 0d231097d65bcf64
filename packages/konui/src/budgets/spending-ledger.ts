import type { Billing, ClaudeCredentials, TurnFigures } from "@kon/protocol";
import { and, eq, gte, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/open.ts";
import { spending } from "../db/schema.ts";

export interface SpendingEntry {
  turnId: string;
  sessionId: string;
  userId: string;
  agent: string;
  figures: TurnFigures | null;
  recordedAt: number;
}

/** An API key, a gateway or a cloud bills per token; a Claude login bills a subscription. */
export function billingOf(credentials: ClaudeCredentials | undefined): Billing {
  if (credentials === "cli_login") return "subscription";
  if (credentials === "api_key" || credentials === "base_url" || credentials === "bedrock" || credentials === "vertex") return "api";
  return "unknown";
}

/** Which spending a budget counts. */
export type SpendingScope =
  | { sessionId: string }
  | { userId: string; since: number }
  | { agent: string; since: number };

function whereOf(scope: SpendingScope): SQL | undefined {
  if ("sessionId" in scope) return eq(spending.sessionId, scope.sessionId);
  if ("userId" in scope) return and(eq(spending.userId, scope.userId), gte(spending.recordedAt, scope.since));
  return and(eq(spending.agent, scope.agent), gte(spending.recordedAt, scope.since));
}

/**
 * The spending ledger: one row per finished turn, written in the transaction that records its
 * outcome (so once), and kept when its session or user is deleted.
 */
export class SpendingLedger {
  constructor(private readonly db: Db) {}

  /** Writes the turn's cost (its own, as konsole worked it out: the CLI's figure, else priced from usage). */
  record(tx: Tx, entry: SpendingEntry): void {
    const figures = entry.figures;
    tx.insert(spending)
      .values({
        turnId: entry.turnId,
        sessionId: entry.sessionId,
        userId: entry.userId,
        agent: entry.agent,
        costUsd: figures?.costUsd ?? 0,
        inputTokens: figures?.tokens.input ?? 0,
        outputTokens: figures?.tokens.output ?? 0,
        cacheReadTokens: figures?.tokens.cacheRead ?? 0,
        cacheCreationTokens: figures?.tokens.cacheCreation ?? 0,
        model: figures?.model ?? null,
        billing: billingOf(figures?.credentials),
        recordedAt: entry.recordedAt,
      })
      .onConflictDoNothing()
      .run();
  }

  spentUsd(scope: SpendingScope): number {
    return this.db.select({ usd: sql<number>`coalesce(sum(${spending.costUsd}), 0)` }).from(spending).where(whereOf(scope)).get()?.usd ?? 0;
  }
}
