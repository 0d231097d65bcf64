/** What a verified access token says. */
export interface AccessClaims {
  userId: string;
  jti: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Access tokens already verified (signature, claims, live login), keyed by the raw token string,
 * so a request with a token seen before skips the HMAC and the login lookup. Sound only because
 * konui is the one process that writes its `logins` table and every revocation goes through
 * `AccessTokens`, which forgets the tokens it revokes here in the same tick. Bounded: the least
 * recently used entry goes first; an entry is never used past its token's expiry.
 */
export class VerifiedTokens {
  /** A Map iterates in insertion order: re-inserting on use makes the first key the least recently used. */
  private readonly entries = new Map<string, AccessClaims>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string, now: number): AccessClaims | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    this.entries.delete(token);
    if (claims.expiresAt <= now) return undefined;
    this.entries.set(token, claims);
    return claims;
  }

  remember(token: string, claims: AccessClaims): void {
    this.entries.delete(token);
    this.entries.set(token, claims);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forgetLogin(jti: string): void {
    for (const [token, claims] of this.entries) if (claims.jti === jti) this.entries.delete(token);
  }

  forgetUser(userId: string, exceptJti?: string): void {
    for (const [token, claims] of this.entries) if (claims.userId === userId && claims.jti !== exceptJti) this.entries.delete(token);
  }

  get size(): number {
    return this.entries.size;
  }
}
