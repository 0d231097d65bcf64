import { eq } from "drizzle-orm";
import type { Db, Tx } from "../db/open.ts";
import { consumerState } from "../db/schema.ts";

const ID = "konsole";

export function loadCursor(db: Db): number {
  return db.select().from(consumerState).where(eq(consumerState.id, ID)).get()?.cursor ?? 0;
}

export function saveCursor(tx: Tx | Db, cursor: number): void {
  tx.insert(consumerState)
    .values({ id: ID, cursor })
    .onConflictDoUpdate({ target: consumerState.id, set: { cursor } })
    .run();
}
