import path from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { count, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { openSqlite } from "@kon/storage";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema>;
/** The handle inside `db.transaction(…)`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface OpenDatabase {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** Opens (creating if needed) konui's SQLite file in WAL mode and applies the checked-in migrations. */
export function openDatabase(file: string): OpenDatabase {
  const sqlite = openSqlite(file);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, close: () => sqlite.close() };
}

/** Synchronous row count (drizzle's `$count` is async-only). */
export function countRows(db: Db, table: SQLiteTable, where?: SQL): number {
  return db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
}
