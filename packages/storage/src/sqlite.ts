import path from "node:path";
import Database from "better-sqlite3";
import { ensurePrivateDir, preparePrivateDatabaseFile } from "./private-files.ts";

/** Enough for every statement a service builds (drizzle's SQL is parameterised); an `IN (…)` of a new length adds one. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Opens (creating if needed) a service's SQLite file, readable by this user only: WAL, one
 * writer at a time waiting up to 5 s, foreign keys on, compiled statements kept for reuse.
 */
export function openSqlite(file: string): Database.Database {
  ensurePrivateDir(path.dirname(file));
  preparePrivateDatabaseFile(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  // In WAL mode NORMAL loses no committed write when the service crashes or is killed (the WAL is
  // in the OS's hands at commit); only an OS crash or power cut can drop the last commits, and it
  // never corrupts the file. FULL would fsync on every commit, i.e. on every journaled line.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  reuseStatements(sqlite, STATEMENT_CACHE_SIZE);
  return sqlite;
}

/**
 * Makes `prepare` hand back the statement it compiled for the same SQL last time. drizzle
 * prepares every query it runs, and compiling was most of a small query's cost (a turn's hot
 * path makes a dozen). A statement in the middle of `.iterate()` is not shared, and one that
 * a caller switched to raw, plucked or expanded rows is switched back, so a reused statement
 * behaves as a new one.
 */
function reuseStatements(sqlite: Database.Database, size: number): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const compiled = new Map<string, Database.Statement>();
  const reuse = (source: string): Database.Statement => {
    const known = compiled.get(source);
    if (known && !known.busy) {
      // Most recently used last, so the first key is the one to drop.
      compiled.delete(source);
      compiled.set(source, known);
      return known.reader ? known.pluck(false).expand(false).raw(false) : known;
    }
    const statement = prepare(source);
    if (!known) compiled.set(source, statement);
    if (compiled.size > size) compiled.delete(compiled.keys().next().value as string);
    return statement;
  };
  sqlite.prepare = reuse as typeof sqlite.prepare;
}
