import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError, type ProcessScope } from "@kon/protocol";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Principal } from "../http/context.ts";
import type { AccessTokens } from "./access-tokens.ts";
import { PROCESS_TOKEN_PREFIX, type ProcessGrant, type ProcessTokens } from "./process-tokens.ts";
import type { UserRow, UserStore } from "./users.ts";

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

export interface Authenticator {
  /** Who holds `token`: a person (JWT) or a Claude process (process token). Throws 401. */
  principalOf(token: string | undefined): Promise<Principal>;
}

export function createAuthenticator(users: UserStore, accessTokens: AccessTokens, processTokens: ProcessTokens): Authenticator {
  return {
    async principalOf(token) {
      if (!token) throw new ApiError("unauthorized", "Missing bearer token");
      if (token.startsWith(PROCESS_TOKEN_PREFIX)) {
        const grant = processTokens.resolve(token);
        const owner = users.findById(grant.userId);
        if (!owner || owner.disabled) throw new ApiError("unauthorized", "The token's user is disabled");
        return { kind: "process", grant };
      }
      const claims = await accessTokens.verify(token);
      const user = users.findById(claims.userId);
      if (!user || user.disabled) throw new ApiError("unauthorized", "User is disabled or gone");
      return { kind: "user", user, jti: claims.jti, expiresAt: claims.expiresAt };
    },
  };
}

/** Every route after it needs a bearer token: a person's JWT or a process token. */
export function authenticate(authenticator: Authenticator): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("principal", await authenticator.principalOf(bearerToken(c.req.header("authorization"))));
    await next();
  };
}

/** Routes for konsole only: the shared service token, compared in constant time. */
export function requireServiceToken(serviceToken: string): MiddlewareHandler {
  const expected = createHash("sha256").update(serviceToken).digest();
  return async (c, next) => {
    const given = createHash("sha256").update(bearerToken(c.req.header("authorization")) ?? "").digest();
    if (!timingSafeEqual(given, expected)) throw new ApiError("unauthorized", "Service token required");
    await next();
  };
}

export type UserLogin = Extract<Principal, { kind: "user" }>;

/** A person's login (user and token id), never a process token. */
export function requireLogin(c: Context<AppEnv>): UserLogin {
  const principal = c.get("principal");
  if (principal.kind !== "user") throw new ApiError("forbidden", "Process tokens cannot use this route");
  return principal;
}

/** A person, never a process token. */
export function requireUser(c: Context<AppEnv>): UserRow {
  return requireLogin(c).user;
}

export function requireAdmin(c: Context<AppEnv>): UserRow {
  const user = requireUser(c);
  if (user.role !== "admin") throw new ApiError("forbidden", "Admin only");
  return user;
}

export function requireScope(grant: ProcessGrant, scope: ProcessScope): void {
  if (!grant.scopes.includes(scope)) throw new ApiError("forbidden", `Process token lacks scope ${scope}`);
}
