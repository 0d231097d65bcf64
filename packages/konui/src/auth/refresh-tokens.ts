import { createHash, randomBytes, randomUUID } from "node:crypto";
import { ApiError } from "@kon/protocol";
import { and, eq, lte, ne } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import { refreshTokens } from "../db/schema.ts";
import type { Clock } from "../time.ts";

export interface IssuedRefreshToken {
  token: string;
  familyId: string;
  maxAgeSec: number;
}

export interface RotatedRefreshToken {
  userId: string;
  familyId: string;
  /** Hand this to `issue` with the new access token's jti. */
  next: (accessJti: string) => IssuedRefreshToken;
}

const hashOf = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * The browser's long-lived login: random tokens stored as hashes, grouped in families (one per
 * browser login). Each refresh replaces the token; a replaced token shown again means it was
 * copied, so its whole family is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly db: Db,
    private readonly ttlSec: number,
    private readonly now: Clock,
  ) {}

  /** A new token in `familyId` (a new family when omitted), issued beside the access token `accessJti`. */
  issue(userId: string, accessJti: string, familyId: string = randomUUID()): IssuedRefreshToken {
    const token = randomBytes(32).toString("base64url");
    const at = this.now();
    this.db
      .insert(refreshTokens)
      .values({ tokenHash: hashOf(token), familyId, userId, accessJti, createdAt: at, expiresAt: at + this.ttlSec * 1000 })
      .run();
    return { token, familyId, maxAgeSec: this.ttlSec };
  }

  /** Marks `token` used and answers whose it was; 401 when it is unknown, expired or used before (then its family goes). */
  rotate(token: string | undefined): RotatedRefreshToken {
    if (!token) throw new ApiError("unauthorized", "No refresh token; log in again");
    const at = this.now();
    const row = this.db.transaction((tx) => {
      const found = tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOf(token))).get();
      if (!found || found.expiresAt <= at) return { kind: "invalid" as const };
      if (found.rotatedAt !== null) {
        tx.delete(refreshTokens).where(eq(refreshTokens.familyId, found.familyId)).run();
        return { kind: "reused" as const };
      }
      tx.update(refreshTokens).set({ rotatedAt: at }).where(eq(refreshTokens.tokenHash, found.tokenHash)).run();
      return { kind: "ok" as const, found };
    });
    if (row.kind === "reused") throw new ApiError("unauthorized", "Refresh token was already used; every login of this browser is revoked");
    if (row.kind === "invalid") throw new ApiError("unauthorized", "Refresh token expired or revoked; log in again");
    const { userId, familyId } = row.found;
    return { userId, familyId, next: (accessJti) => this.issue(userId, accessJti, familyId) };
  }

  /** Logout: the family of `token` (if it is one) is revoked. */
  revokeFamilyOf(token: string | undefined): void {
    if (!token) return;
    const found = this.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOf(token))).get();
    if (found) this.revokeFamily(found.familyId);
  }

  revokeFamily(familyId: string): void {
    this.db.delete(refreshTokens).where(eq(refreshTokens.familyId, familyId)).run();
  }

  /** Every browser login of a user, but the one whose latest access token is `exceptAccessJti`. */
  revokeAllOf(userId: string, exceptAccessJti?: string): void {
    const spared = exceptAccessJti
      ? this.db
          .select({ familyId: refreshTokens.familyId })
          .from(refreshTokens)
          .where(and(eq(refreshTokens.accessJti, exceptAccessJti), eq(refreshTokens.userId, userId)))
          .get()?.familyId
      : undefined;
    const mine = eq(refreshTokens.userId, userId);
    this.db
      .delete(refreshTokens)
      .where(spared ? and(mine, ne(refreshTokens.familyId, spared)) : mine)
      .run();
  }

  sweepExpired(): number {
    return this.db.delete(refreshTokens).where(lte(refreshTokens.expiresAt, this.now())).run().changes;
  }
}
