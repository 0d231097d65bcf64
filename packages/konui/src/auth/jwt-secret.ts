import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "@kon/storage";

/** KONUI_JWT_SECRET when given; otherwise a secret generated once and kept in the data dir. */
export function resolveJwtSecret(dataDir: string, given: string | undefined): Uint8Array {
  if (given) return new TextEncoder().encode(given);
  const file = path.join(dataDir, "jwt-secret");
  ensurePrivateDir(dataDir);
  try {
    fs.writeFileSync(file, randomBytes(48).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return new TextEncoder().encode(fs.readFileSync(file, "utf8").trim());
}
