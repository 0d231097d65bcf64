// Every stored row of a SQLite file, for comparing before and after a request.

import Database from "better-sqlite3";

/** Tables whose rows a refused request may rightly change, or that move on their own. */
const MOVING_TABLES = new Set(["login_throttle", "consumer_state", "__drizzle_migrations"]);

export function storedRows(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    const dump: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      if (!MOVING_TABLES.has(name)) dump[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    }
    return JSON.stringify(dump);
  } finally {
    db.close();
  }
}
