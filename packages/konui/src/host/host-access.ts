import { MAX_SESSION_FILTER, type ObservedSession } from "@kon/protocol";
import { sql } from "drizzle-orm";
import type { UserRow } from "../auth/users.ts";
import type { Db } from "../db/open.ts";

/**
 * Which host records a person may see. Admins: every one. A plain user: the Claude conversations
 * of their own agent sessions (the session's current one and every one a turn of theirs ran
 * in), the most recent MAX_SESSION_FILTER of them.
 */
export class HostAccess {
  constructor(private readonly db: Db) {}

  isHostWide(user: Pick<UserRow, "role">): boolean {
    return user.role === "admin";
  }

  /** The Claude session ids `user` may see; undefined for an admin (all of them). */
  visibleTo(user: Pick<UserRow, "id" | "role">): string[] | undefined {
    if (this.isHostWide(user)) return undefined;
    const rows = this.db.all<{ id: string }>(sql`
      SELECT id FROM (
        SELECT claude_session_id AS id, updated_at AS at FROM agent_sessions WHERE user_id = ${user.id} AND claude_session_id IS NOT NULL
        UNION ALL
        SELECT m.claude_session_id AS id, m.created_at AS at FROM messages m JOIN agent_sessions s ON s.id = m.session_id
          WHERE s.user_id = ${user.id} AND m.claude_session_id IS NOT NULL)
      GROUP BY id ORDER BY max(at) DESC LIMIT ${MAX_SESSION_FILTER}`);
    return rows.map((row) => row.id);
  }

  maySee(user: Pick<UserRow, "id" | "role">, claudeSessionId: string): boolean {
    return this.visibleTo(user)?.includes(claudeSessionId) ?? true;
  }

  /**
   * The plain users a change of `session` goes to live (admins get every one): the owner of the
   * agent session konsole runs it for, or of one bound to it now.
   */
  audienceOf(session: Pick<ObservedSession, "id" | "konsoleSessionId">): string[] {
    const rows = this.db.all<{ userId: string }>(
      sql`SELECT DISTINCT user_id AS userId FROM agent_sessions WHERE id = ${session.konsoleSessionId ?? ""} OR claude_session_id = ${session.id}`,
    );
    return rows.map((row) => row.userId);
  }
}
