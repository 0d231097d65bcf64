import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite } from "../src/index.ts";

const opened: Array<{ close(): void }> = [];
function open(): ReturnType<typeof openSqlite> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "kon-storage-")), "data");
  const sqlite = openSqlite(path.join(dir, "test.sqlite"));
  opened.push(sqlite);
  sqlite.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
  for (const name of ["a", "b", "c"]) sqlite.prepare("INSERT INTO items (name) VALUES (?)").run(name);
  return sqlite;
}

afterEach(() => {
  for (const sqlite of opened.splice(0)) sqlite.close();
});

describe("openSqlite", () => {
  it("makes the file and its folder private, in WAL mode with foreign keys on", () => {
    const sqlite = open();
    expect(statSync(sqlite.name).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(sqlite.name)).mode & 0o777).toBe(0o700);
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("hands back the statement it compiled for the same SQL", () => {
    const sqlite = open();
    const select = "SELECT name FROM items WHERE id = ?";
    expect(sqlite.prepare(select)).toBe(sqlite.prepare(select));
    expect(sqlite.prepare(select)).not.toBe(sqlite.prepare("SELECT id FROM items WHERE name = ?"));
  });

  it("switches a reused statement back to row objects", () => {
    const sqlite = open();
    const select = "SELECT name FROM items WHERE id = ?";
    expect(sqlite.prepare(select).raw().get(1)).toEqual(["a"]);
    expect(sqlite.prepare(select).get(1)).toEqual({ name: "a" });
    expect(sqlite.prepare(select).pluck().get(1)).toBe("a");
    expect(sqlite.prepare(select).get(1)).toEqual({ name: "a" });
    expect(sqlite.prepare(select).expand().get(1)).toEqual({ items: { name: "a" } });
    expect(sqlite.prepare(select).get(1)).toEqual({ name: "a" });
  });

  it("does not share a statement that is in the middle of an iteration", () => {
    const sqlite = open();
    const select = "SELECT name FROM items ORDER BY id";
    const names: string[] = [];
    for (const row of sqlite.prepare(select).iterate() as Iterable<{ name: string }>) {
      const inner = sqlite.prepare(select).all() as Array<{ name: string }>;
      names.push(`${row.name}:${inner.length}`);
    }
    expect(names).toEqual(["a:3", "b:3", "c:3"]);
  });

  it("keeps a bounded number of statements, dropping the least recently used", () => {
    const sqlite = open();
    const first = sqlite.prepare("SELECT 0");
    for (let index = 1; index <= 500; index++) sqlite.prepare(`SELECT ${index}`);
    expect(sqlite.prepare("SELECT 0")).not.toBe(first);
    const kept = sqlite.prepare("SELECT 500");
    expect(sqlite.prepare("SELECT 500")).toBe(kept);
  });
});
