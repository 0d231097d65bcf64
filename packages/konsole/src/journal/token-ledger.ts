import { eq, lte } from "drizzle-orm";
import type { KonsoleDb } from "./database.ts";
import { heldProcessTokens } from "./schema.ts";

export type HeldTokenRow = typeof heldProcessTokens.$inferSelect;

/** The durable list of process tokens konsole holds: added when granted, removed once revoked. */
export class TokenLedger {
  constructor(private readonly db: KonsoleDb) {}

  held(tokenId: string, processId: string, expiresAt: string): void {
    const createdAt = new Date().toISOString();
    this.db.insert(heldProcessTokens).values({ tokenId, processId, expiresAt, createdAt }).onConflictDoNothing().run();
  }

  released(tokenId: string): void {
    this.db.delete(heldProcessTokens).where(eq(heldProcessTokens.tokenId, tokenId)).run();
  }

  /** Forgets tokens that have expired by now (konui refuses them anyway); returns how many. */
  dropExpired(now = new Date()): number {
    return this.db.delete(heldProcessTokens).where(lte(heldProcessTokens.expiresAt, now.toISOString())).run().changes;
  }

  all(): HeldTokenRow[] {
    return this.db.select().from(heldProcessTokens).all();
  }
}
