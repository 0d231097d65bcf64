import type { Logger } from "../logger.ts";
import { generatePassword } from "./password.ts";
import type { UserStore } from "./users.ts";

const FIRST_ADMIN = "admin";

/**
 * On first start (no users yet) creates the `admin` user from ADMIN_PASSWORD, or from a
 * generated password that is printed this once.
 */
export async function ensureFirstAdmin(
  users: UserStore,
  adminPassword: string | undefined,
  logger: Logger,
  print: (line: string) => void,
): Promise<void> {
  if (users.count() > 0) return;
  const password = adminPassword ?? generatePassword();
  await users.create({ username: FIRST_ADMIN, password, role: "admin" });
  logger.info({ username: FIRST_ADMIN }, "created the first admin");
  if (!adminPassword) print(`konui: generated password for user "${FIRST_ADMIN}" (shown once): ${password}`);
}
