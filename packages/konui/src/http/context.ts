import type { ProcessGrant } from "../auth/process-tokens.ts";
import type { UserRow } from "../auth/users.ts";

export type Principal =
  | { kind: "user"; user: UserRow; jti: string; expiresAt: number }
  | { kind: "process"; grant: ProcessGrant };

export interface AppEnv {
  Variables: { principal: Principal };
}
