import { randomUUID, webcrypto } from "node:crypto";
import { and, eq, gt, lte, ne, sql } from "drizzle-orm";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { ApiError } from "@kon/protocol";
import { countRows, type Db } from "../db/open.ts";
import { logins } from "../db/schema.ts";
import type { Clock } from "../time.ts";
import type { KonuiBus } from "../events/bus.ts";
import { VerifiedTokens, type AccessClaims } from "./verified-tokens.ts";

const ALGORITHM = "HS256";
const ISSUER = "konui";
const AUDIENCE = "konui";

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresInSec: number;
}

/** Human access tokens: HS256 JWTs (jose), each also a `logins` row so it can be counted and revoked. */
export class AccessTokens {
  /** Imported once: jose would otherwise import the raw secret again on every sign and verify. */
  private readonly key: Promise<webcrypto.CryptoKey>;
  /** Prepared once: this runs on every authenticated request. */
  private readonly liveLogin;
  /** Tokens seen before skip verification; `revoke`/`revokeAllOf` forget theirs before returning. */
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly db: Db,
    secret: Uint8Array,
    private readonly ttlSec: number,
    private readonly now: Clock,
    private readonly bus: KonuiBus,
  ) {
    this.key = webcrypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    this.liveLogin = db
      .select({ jti: logins.jti })
      .from(logins)
      .where(and(eq(logins.jti, sql.placeholder("jti")), gt(logins.expiresAt, sql.placeholder("now"))))
      .prepare();
  }

  async issue(userId: string): Promise<IssuedAccessToken> {
    const jti = randomUUID();
    const issuedAtSec = Math.floor(this.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(jti)
      .setIssuedAt(issuedAtSec)
      .setExpirationTime(issuedAtSec + this.ttlSec)
      .sign(await this.key);
    this.db
      .insert(logins)
      .values({ jti, userId, issuedAt: issuedAtSec * 1000, expiresAt: (issuedAtSec + this.ttlSec) * 1000 })
      .run();
    return { token, jti, expiresInSec: this.ttlSec };
  }

  /** Checks signature (HS256 only), issuer, audience, expiry and that the login was not revoked. */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token, this.now());
    if (known) return known;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ["sub", "jti", "iat", "exp"],
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new ApiError("unauthorized", expired ? "Access token expired" : "Invalid access token");
    }
    const { sub, jti, exp } = payload;
    if (!sub || !jti || !exp) throw new ApiError("unauthorized", "Invalid access token");
    // The login check and `remember` run in one tick, so a revocation during the HMAC above is never cached.
    if (!this.isLive(jti)) throw new ApiError("unauthorized", "Access token revoked");
    const claims = { userId: sub, jti, expiresAt: exp * 1000 };
    this.verified.remember(token, claims);
    return claims;
  }

  /** True while the login behind `jti` is neither revoked nor expired. */
  isLive(jti: string): boolean {
    return this.liveLogin.get({ jti, now: this.now() }) !== undefined;
  }

  /** Logout: this one login is refused from now on. */
  revoke(jti: string): void {
    this.verified.forgetLogin(jti);
    const row = this.db.delete(logins).where(eq(logins.jti, jti)).returning({ userId: logins.userId }).get();
    if (row) this.bus.publish({ type: "access.lost", userId: row.userId, jti, reason: "logged_out" });
  }

  /** Every login of a user (but `exceptJti`, the caller's own) is refused from now on. */
  revokeAllOf(userId: string, reason: "token_revoked" | "user_disabled", exceptJti?: string): void {
    this.verified.forgetUser(userId, exceptJti);
    const mine = eq(logins.userId, userId);
    this.db
      .delete(logins)
      .where(exceptJti ? and(mine, ne(logins.jti, exceptJti)) : mine)
      .run();
    this.bus.publish({ type: "access.lost", userId, reason, ...(exceptJti ? { exceptJti } : {}) });
  }

  countLive(): number {
    return countRows(this.db, logins, gt(logins.expiresAt, this.now()));
  }

  sweepExpired(): number {
    return this.db.delete(logins).where(lte(logins.expiresAt, this.now())).run().changes;
  }
}
