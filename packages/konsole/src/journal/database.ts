import path from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { openSqlite } from "@kon/storage";
import * as schema from "./schema.ts";

export type KonsoleDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabase {
  db: KonsoleDb;
  close(): void;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Opens (creating if needed) the journal database in `dataDir`: WAL, one writer, migrated. */
export function openDatabase(dataDir: string): OpenDatabase {
  const sqlite = openSqlite(path.join(dataDir, "konsole.sqlite"));
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return {
    db,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
