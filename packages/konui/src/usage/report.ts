import { ApiError, type UsageQuery, type UsageReport } from "@kon/protocol";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { UserRow } from "../auth/users.ts";
import type { Db } from "../db/open.ts";
import { agentSessions, messages, users } from "../db/schema.ts";
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

const tokenSum = (field: string) => sql<number>`coalesce(sum(json_extract(${messages.tokens}, ${`$.${field}`})), 0)`;

/**
 * Cost and tokens of finished turns (their assistant messages), per UTC day, user and agent:
 * a person sees their own, an admin everyone's.
 */
export class UsageReports {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  report(viewer: Pick<UserRow, "id" | "role">, query: UsageQuery): UsageReport {
    const range = usageRange(query, this.now());
    const day = sql<string>`strftime('%Y-%m-%d', ${messages.createdAt} / 1000, 'unixepoch')`;
    const inRange = and(
      eq(messages.role, "assistant"),
      gte(messages.createdAt, startOfDay(range.since)),
      lt(messages.createdAt, startOfDay(range.until) + DAY_MS),
    );
    const rows = this.db
      .select({
        day,
        userId: agentSessions.userId,
        username: users.username,
        agent: agentSessions.agent,
        turns: sql<number>`count(*)`,
        costUsd: sql<number>`coalesce(sum(${messages.costUsd}), 0)`,
        input: tokenSum("input"),
        output: tokenSum("output"),
        cacheRead: tokenSum("cacheRead"),
        cacheCreation: tokenSum("cacheCreation"),
      })
      .from(messages)
      .innerJoin(agentSessions, eq(agentSessions.id, messages.sessionId))
      .innerJoin(users, eq(users.id, agentSessions.userId))
      .where(viewer.role === "admin" ? inRange : and(inRange, eq(agentSessions.userId, viewer.id)))
      .groupBy(day, agentSessions.userId, agentSessions.agent)
      .orderBy(asc(day), asc(users.username), asc(agentSessions.agent))
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
