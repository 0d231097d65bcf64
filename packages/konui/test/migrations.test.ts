// A database made by an older konui keeps its rows when the checked-in migrations run on it.

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, expect, it } from "vitest";
import { ProcessTokens } from "../src/auth/process-tokens.ts";
import { openDatabase } from "../src/db/open.ts";
import { activityOf } from "../src/sessions/session-activity.ts";
import { tempDir } from "./support/harness.ts";

const migrationsDir = path.join(import.meta.dirname, "../src/db/migrations");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the migrations folder that stops before `tag`. */
function migrationsBefore(tag: string, into: string): string {
  const journalFile = path.join(migrationsDir, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(at).toBeGreaterThan(0);
  const older = path.join(into, "older-migrations");
  fs.mkdirSync(path.join(older, "meta"), { recursive: true });
  for (const entry of journal.entries.slice(0, at)) fs.copyFileSync(path.join(migrationsDir, `${entry.tag}.sql`), path.join(older, `${entry.tag}.sql`));
  fs.writeFileSync(path.join(older, "meta/_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return older;
}

it("keeps process tokens issued before pool tokens existed, bound as they were", () => {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir, "konui.sqlite");
  const old = new Database(file);
  migrate(drizzle(old), { migrationsFolder: migrationsBefore("0002_pool_process_tokens", dir) });
  const createdAt = Date.now();
  old
    .prepare(
      "insert into process_tokens (id, token_hash, session_id, user_id, process_id, scopes, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run("tok-1", "hash-1", "session-1", "user-1", "proc-1", '["kontasks:write","session:read"]', createdAt, createdAt + 3_600_000);
  old.close();

  const database = openDatabase(file);
  try {
    const row = database.sqlite.prepare("select * from process_tokens").get();
    expect(row).toMatchObject({ id: "tok-1", session_id: "session-1", user_id: "user-1", process_id: "proc-1", bound_at: createdAt });
    const tokens = new ProcessTokens(database.db, 3_600, Date.now);
    expect(tokens.countLive()).toBe(1);
    expect(tokens.countPooled()).toBe(0);
    expect(() => tokens.bind("tok-1", { sessionId: "session-2", userId: "user-1" })).toThrow("already bound");
  } finally {
    database.close();
  }
});

it("refuses a half-bound row", () => {
  const dir = tempDir();
  dirs.push(dir);
  const database = openDatabase(path.join(dir, "konui.sqlite"));
  try {
    const insert = database.sqlite.prepare(
      "insert into process_tokens (id, token_hash, session_id, user_id, process_id, scopes, created_at, expires_at, bound_at) values ('t', 'h', ?, ?, 'p', '[]', 0, 1, ?)",
    );
    expect(() => insert.run("session-1", null, 1)).toThrow(/CHECK constraint/);
    expect(() => insert.run(null, null, 1)).toThrow(/CHECK constraint/);
  } finally {
    database.close();
  }
});

it("keeps messages written before turn timing and statuses existed; their turns count as settled", () => {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir, "konui.sqlite");
  const old = new Database(file);
  migrate(drizzle(old), { migrationsFolder: migrationsBefore("0004_dashboard", dir) });
  old.prepare("insert into users (id, username, password_hash, role, created_at, updated_at) values ('u1', 'alice', 'h', 'user', 1, 1)").run();
  old.prepare("insert into agent_sessions (id, agent, user_id, created_at, updated_at) values ('s1', 'claude', 'u1', 1, 1)").run();
  old
    .prepare(
      "insert into messages (id, session_id, role, text, attachments, turn_id, status, cost_usd, created_at) values ('m1', 's1', 'assistant', 'hi', '[]', 't1', 'complete', 0.5, 2)",
    )
    .run();
  old.close();

  const database = openDatabase(file);
  try {
    expect(database.sqlite.prepare("select text, cost_usd, timing, model, turn_status from messages").get()).toEqual({
      text: "hi",
      cost_usd: 0.5,
      timing: null,
      model: null,
      turn_status: null,
    });
    expect(database.sqlite.prepare("select count(*) as n from tool_calls").get()).toEqual({ n: 0 });
    expect(activityOf(database.db).size).toBe(0);
  } finally {
    database.close();
  }
});

it("puts the turns finished before the spending ledger existed into it", () => {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir, "konui.sqlite");
  const old = new Database(file);
  migrate(drizzle(old), { migrationsFolder: migrationsBefore("0005_budgets_and_spending_ledger", dir) });
  old.prepare("insert into users (id, username, password_hash, role, created_at, updated_at) values ('u1', 'alice', 'h', 'user', 1, 1)").run();
  old.prepare("insert into agent_sessions (id, agent, user_id, created_at, updated_at) values ('s1', 'claude', 'u1', 1, 1)").run();
  const insert = old.prepare(
    "insert into messages (id, session_id, role, text, attachments, turn_id, status, cost_usd, tokens, model, created_at) values (?, 's1', ?, 'x', '[]', ?, 'complete', ?, ?, 'm', 2)",
  );
  insert.run("m1", "user", "t1", null, null);
  insert.run("m2", "assistant", "t1", 0.5, '{"input":1,"output":2,"cacheRead":3,"cacheCreation":4}');
  old.close();

  const database = openDatabase(file);
  try {
    expect(database.sqlite.prepare("select * from spending").all()).toEqual([
      {
        turn_id: "t1",
        session_id: "s1",
        user_id: "u1",
        agent: "claude",
        cost_usd: 0.5,
        input_tokens: 1,
        output_tokens: 2,
        cache_read_tokens: 3,
        cache_creation_tokens: 4,
        model: "m",
        billing: "unknown",
        recorded_at: 2,
      },
    ]);
  } finally {
    database.close();
  }
});
