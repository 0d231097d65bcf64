import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { ensurePrivateDir, preparePrivateDatabaseFile } from "../private-files.ts";
import * as schema from "./schema.ts";

export type KonsoleDb = BetterSQLite3Database<typeof schema>;

export interface OpenDatabase {
  db: KonsoleDb;
  close(): void;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Opens (creating if needed) the journal database in `dataDir`: WAL, one writer, migrated. */
export function openDatabase(dataDir: string): OpenDatabase {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, "konsole.sqlite");
  preparePrivateDatabaseFile(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  // In WAL mode NORMAL loses no committed append when konsole crashes or is killed (the WAL is in
  // the OS's hands at commit); only an OS crash or power cut can drop the last commits, and it
  // never corrupts the file. FULL would fsync on every commit, i.e. on every journaled line.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return {
    db,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
