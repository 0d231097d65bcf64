import { randomUUID } from "node:crypto";
import { ApiError, type AgentSession, type AgentSessionWithMessages, type BudgetLeft } from "@kon/protocol";
import { and, asc, count, desc, eq, max, sql } from "drizzle-orm";
import type { UserRow } from "../auth/users.ts";
import type { Db } from "../db/open.ts";
import { agentSessions, messages } from "../db/schema.ts";
import type { Principal } from "../http/context.ts";
import { iso, type Clock } from "../time.ts";
import { toMessage } from "./messages.ts";
import { activityOf, activityOfSession, IDLE, type SessionActivity } from "./session-activity.ts";

export type AgentSessionRow = typeof agentSessions.$inferSelect;

/** What a caller may do with a session it can see. */
export type SessionAccess = "read" | "write";

/** A person may use their own sessions; an admin anyone's. */
export function mayUseSession(user: Pick<UserRow, "id" | "role">, session: Pick<AgentSessionRow, "userId">): boolean {
  return user.role === "admin" || user.id === session.userId;
}

const totalCost = sql<number>`coalesce(sum(${messages.costUsd}), 0)`;
const totalsColumns = { cost: totalCost, count: count(messages.id), lastMessageAt: max(messages.createdAt) };
const hotIn = (hot: HotLookup, id: string): boolean | null => (hot === null ? null : hot.has(id));

interface Totals {
  cost: number;
  count: number;
  lastMessageAt: number | null;
}

/** Who knows whether a session is hot: konsole's answer, or null when it could not be asked. */
export type HotLookup = ReadonlySet<string> | null;

/** What is left of the tightest budget for a session's next turn (null: none set). */
export type BudgetLookup = (row: AgentSessionRow) => BudgetLeft | null;

function toAgentSession(
  row: AgentSessionRow,
  totals: Totals | undefined,
  activity: SessionActivity,
  hot: boolean | null,
  budget: BudgetLeft | null,
): AgentSession {
  return {
    id: row.id,
    agent: row.agent,
    userId: row.userId,
    title: row.title,
    state: activity.state,
    activeTurnId: activity.activeTurnId,
    hot,
    lastActivityAt: iso(totals?.lastMessageAt ?? row.createdAt),
    claudeSessionId: row.claudeSessionId,
    totalCostUsd: totals?.cost ?? 0,
    messageCount: totals?.count ?? 0,
    budget,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export class AgentSessionStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
    private readonly budgetOf: BudgetLookup = () => null,
  ) {}

  /** A new session, unless the user already has `maxPerUser` open (409 naming the limit). */
  create(agent: string, userId: string, title: string | undefined, maxPerUser: number): AgentSession {
    const at = this.now();
    const row: AgentSessionRow = {
      id: randomUUID(),
      agent,
      userId,
      title: title ?? null,
      claudeSessionId: null,
      memoryEpoch: 0,
      createdAt: at,
      updatedAt: at,
    };
    this.db.transaction((tx) => {
      const open = tx.select({ n: count() }).from(agentSessions).where(eq(agentSessions.userId, userId)).get()?.n ?? 0;
      if (open >= maxPerUser) {
        throw new ApiError(
          "conflict",
          `You already have ${open} open sessions, the most one user may have (${maxPerUser}); delete one before creating another.`,
          { limit: maxPerUser },
        );
      }
      tx.insert(agentSessions).values(row).run();
    });
    // A new session has no process yet.
    return this.present(row, false);
  }

  find(id: string): AgentSessionRow | undefined {
    return this.db.select().from(agentSessions).where(eq(agentSessions.id, id)).get();
  }

  /**
   * The session if `principal` may use it this way, else 404 (a session someone may not see
   * does not exist for them) or 403 (a process token asking more than to read its own session).
   */
  authorize(agent: string, id: string, principal: Principal, access: SessionAccess): AgentSessionRow {
    const row = this.find(id);
    const visible =
      row !== undefined &&
      row.agent === agent &&
      (principal.kind === "process" ? principal.grant.sessionId === row.id : mayUseSession(principal.user, row));
    if (principal.kind === "process") {
      if (access !== "read" || !principal.grant.scopes.includes("session:read")) {
        throw new ApiError("forbidden", "Process tokens may only read their own session");
      }
      if (!visible) throw new ApiError("forbidden", "Process tokens may only read their own session");
    }
    if (!visible || !row) throw new ApiError("not_found", "No such session");
    return row;
  }

  list(agent: string, principal: Principal, hot: HotLookup): AgentSession[] {
    if (principal.kind !== "user") throw new ApiError("forbidden", "Process tokens cannot list sessions");
    const where =
      principal.user.role === "admin"
        ? eq(agentSessions.agent, agent)
        : and(eq(agentSessions.agent, agent), eq(agentSessions.userId, principal.user.id));
    // One query for every session's totals and one for what they are doing, not one per session.
    const rows = this.db
      .select({ row: agentSessions, ...totalsColumns })
      .from(agentSessions)
      .leftJoin(messages, eq(messages.sessionId, agentSessions.id))
      .where(where)
      .groupBy(agentSessions.id)
      .orderBy(desc(agentSessions.updatedAt))
      .all();
    // Past a few hundred sessions, reading every open turn (a partial index) beats a long IN list.
    const activity = activityOf(this.db, rows.length > 200 ? undefined : rows.map(({ row }) => row.id));
    return rows.map(({ row, ...totals }) => toAgentSession(row, totals, activity.get(row.id) ?? IDLE, hotIn(hot, row.id), this.budgetOf(row)));
  }

  /** Renames (null clears the title). */
  rename(id: string, title: string | null): AgentSessionRow | undefined {
    return this.db.update(agentSessions).set({ title, updatedAt: this.now() }).where(eq(agentSessions.id, id)).returning().get();
  }

  withMessages(row: AgentSessionRow, hot: boolean | null): AgentSessionWithMessages {
    const list = this.db
      .select()
      .from(messages)
      .where(eq(messages.sessionId, row.id))
      .orderBy(asc(messages.createdAt), asc(sql`rowid`))
      .all();
    return { ...this.present(row, hot), messages: list.map(toMessage) };
  }

  /** Forgets the Claude conversation; outcomes of turns sent before now no longer set it. */
  resetMemory(id: string): AgentSessionRow | undefined {
    return this.db
      .update(agentSessions)
      .set({ claudeSessionId: null, memoryEpoch: sql`${agentSessions.memoryEpoch} + 1`, updatedAt: this.now() })
      .where(eq(agentSessions.id, id))
      .returning()
      .get();
  }

  /** A new session continues an existing Claude conversation (adopted from the host). */
  bindConversation(id: string, claudeSessionId: string): AgentSessionRow | undefined {
    return this.db
      .update(agentSessions)
      .set({ claudeSessionId, updatedAt: this.now() })
      .where(eq(agentSessions.id, id))
      .returning()
      .get();
  }

  touch(id: string): void {
    this.db.update(agentSessions).set({ updatedAt: this.now() }).where(eq(agentSessions.id, id)).run();
  }

  delete(id: string): void {
    this.db.delete(agentSessions).where(eq(agentSessions.id, id)).run();
  }

  present(row: AgentSessionRow, hot: boolean | null): AgentSession {
    const totals = this.db.select(totalsColumns).from(messages).where(eq(messages.sessionId, row.id)).get();
    return toAgentSession(row, totals, activityOfSession(this.db, row.id), hot, this.budgetOf(row));
  }
}
