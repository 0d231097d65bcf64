import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/journal/database.ts";
import { writeWorkspaceFiles } from "../src/workspace-files.ts";

const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;
const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "konsole-modes-"));

describe("file modes", () => {
  it("keeps the journal's dir 0700 and its database, WAL and shared memory 0600, tightening older ones", () => {
    const dir = path.join(scratch(), "data");
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, "konsole.sqlite"), "", { mode: 0o644 });
    const database = openDatabase(dir);
    try {
      expect(modeOf(dir)).toBe(0o700);
      for (const name of ["konsole.sqlite", "konsole.sqlite-wal", "konsole.sqlite-shm"]) {
        expect([name, modeOf(path.join(dir, name))]).toEqual([name, 0o600]);
      }
    } finally {
      database.close();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it("writes a turn's files 0600 into a 0700 uploads dir", async () => {
    const cwd = scratch();
    try {
      await writeWorkspaceFiles(cwd, [{ name: "a.csv", data: Buffer.from("a,b\n").toString("base64") }]);
      expect(modeOf(path.join(cwd, "uploads"))).toBe(0o700);
      expect(modeOf(path.join(cwd, "uploads", "a.csv"))).toBe(0o600);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
