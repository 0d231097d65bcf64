import { ApiError, type UsageQuery, type UsageReport } from "@kon/protocol";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { UserRow } from "../auth/users.ts";
import type { Db } from "../db/open.ts";
import { spending, users } from "../db/schema.ts";
import type { Clock } from "../time.ts";

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/** The UTC days asked for: `until` defaults to today, `since` to 30 days up to `until`. */
export function usageRange(query: UsageQuery, now: number): { since: string; until: string } {
  const until = query.until ?? dayOf(now);
  const since = query.since ?? dayOf(startOfDay(until) - (DEFAULT_DAYS - 1) * DAY_MS);
  if (since > until) throw new ApiError("bad_request", `since (${since}) is after until (${until})`);
  if ((startOfDay(until) - startOfDay(since)) / DAY_MS + 1 > MAX_DAYS) {
    throw new ApiError("bad_request", `At most ${MAX_DAYS} days at once`);
  }
  return { since, until };
}

const day = sql<string>`strftime('%Y-%m-%d', ${spending.recordedAt} / 1000, 'unixepoch')`;
const sumOf = (column: AnySQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`;

/**
 * Cost and tokens of finished turns per UTC day, user, agent and billing, from the spending
 * ledger (so a deleted session's turns still count): a person sees their own, an admin everyone's.
 */
export class UsageReports {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  report(viewer: Pick<UserRow, "id" | "role">, query: UsageQuery): UsageReport {
    const range = usageRange(query, this.now());
    const inRange = and(gte(spending.recordedAt, startOfDay(range.since)), lt(spending.recordedAt, startOfDay(range.until) + DAY_MS));
    const rows = this.db
      .select({
        day,
        userId: spending.userId,
        username: users.username,
        agent: spending.agent,
        billing: spending.billing,
        turns: sql<number>`count(*)`,
        costUsd: sql<number>`coalesce(sum(${spending.costUsd}), 0)`,
        input: sumOf(spending.inputTokens),
        output: sumOf(spending.outputTokens),
        cacheRead: sumOf(spending.cacheReadTokens),
        cacheCreation: sumOf(spending.cacheCreationTokens),
      })
      .from(spending)
      .leftJoin(users, eq(users.id, spending.userId))
      .where(viewer.role === "admin" ? inRange : and(inRange, eq(spending.userId, viewer.id)))
      .groupBy(day, spending.userId, spending.agent, spending.billing)
      .orderBy(asc(day), asc(users.username), asc(spending.agent), asc(spending.billing))
      .all();
    return {
      ...range,
      rows: rows.map(({ input, output, cacheRead, cacheCreation, ...row }) => ({
        ...row,
        tokens: { input, output, cacheRead, cacheCreation },
      })),
    };
  }
}
