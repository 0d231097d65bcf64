import fs from "node:fs";
import { chmod, mkdir } from "node:fs/promises";

/** Creates `dir` (and missing parents) for this user only; an existing one is tightened to 0700. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** `ensurePrivateDir` without blocking the event loop. */
export async function ensurePrivateDirAsync(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * Makes a SQLite database file 0600 before it is opened (creating it empty when missing), and
 * tightens any -wal/-shm/-journal left by an older version: SQLite gives the files it creates
 * beside a database the database file's own mode.
 */
export function preparePrivateDatabaseFile(file: string): void {
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const name of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      fs.chmodSync(name, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

/** Tightens a directory an older version may have left 0755; a missing one is fine. */
export function tightenDirIfPresent(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}
