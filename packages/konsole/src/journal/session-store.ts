import { eq } from "drizzle-orm";
import type { KonsoleDb } from "./database.ts";
import { conversationCosts, sessions } from "./schema.ts";

export type SessionRow = typeof sessions.$inferSelect;

export class SessionStore {
  constructor(private readonly db: KonsoleDb) {}

  get(id: string): SessionRow | undefined {
    return this.db.select().from(sessions).where(eq(sessions.id, id)).get();
  }

  /** The session, created with `cwd` when it does not exist yet (a read, no write, when it does). */
  ensure(id: string, cwd: string): SessionRow {
    const existing = this.get(id);
    if (existing) return existing;
    const now = new Date().toISOString();
    this.db.insert(sessions).values({ id, cwd, claudeSessionId: null, createdAt: now, updatedAt: now }).onConflictDoNothing().run();
    const row = this.get(id);
    if (!row) throw new Error(`session ${id} vanished`);
    return row;
  }

  /** Records the conversation the session continues next time (null: the next turn starts a new one). */
  setConversation(id: string, claudeSessionId: string | null, cwd?: string): void {
    this.db
      .update(sessions)
      .set({ claudeSessionId, ...(cwd ? { cwd } : {}), updatedAt: new Date().toISOString() })
      .where(eq(sessions.id, id))
      .run();
  }

  delete(id: string): void {
    this.db.delete(sessions).where(eq(sessions.id, id)).run();
  }

  lastConversationTotal(claudeSessionId: string): number | undefined {
    return this.db.select().from(conversationCosts).where(eq(conversationCosts.claudeSessionId, claudeSessionId)).get()
      ?.totalCostUsd;
  }

  recordConversationTotal(claudeSessionId: string, totalCostUsd: number): void {
    const updatedAt = new Date().toISOString();
    this.db
      .insert(conversationCosts)
      .values({ claudeSessionId, totalCostUsd, updatedAt })
      .onConflictDoUpdate({ target: conversationCosts.claudeSessionId, set: { totalCostUsd, updatedAt } })
      .run();
  }
}
