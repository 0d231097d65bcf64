import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, gt, lte } from "drizzle-orm";
import { ApiError, PROCESS_TOKEN_SCOPES, type IssueProcessTokenRequest, type ProcessToken } from "@kon/protocol";
import { countRows, type Db } from "../db/open.ts";
import { processTokens } from "../db/schema.ts";
import { iso, type Clock } from "../time.ts";

/** Every process token starts with this, so a bearer token can be told from a JWT at a glance. */
export const PROCESS_TOKEN_PREFIX = "kpt_";

export interface ProcessGrant {
  tokenId: string;
  sessionId: string;
  userId: string;
  processId: string;
  scopes: string[];
}

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** Opaque per-process tokens, stored only as hashes, bound to one process, session and user. */
export class ProcessTokens {
  constructor(
    private readonly db: Db,
    private readonly defaultTtlSec: number,
    private readonly now: Clock,
  ) {}

  issue(request: IssueProcessTokenRequest): ProcessToken {
    const token = PROCESS_TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const createdAt = this.now();
    const expiresAt = createdAt + (request.ttlSec ?? this.defaultTtlSec) * 1000;
    const row = {
      id: randomUUID(),
      tokenHash: hashToken(token),
      sessionId: request.sessionId,
      userId: request.userId,
      processId: request.processId,
      scopes: [...PROCESS_TOKEN_SCOPES],
      createdAt,
      expiresAt,
    };
    this.db.insert(processTokens).values(row).run();
    return { tokenId: row.id, token, expiresAt: iso(expiresAt), scopes: row.scopes };
  }

  /** The grant behind a live token; revoked (deleted) or expired tokens are refused at once. */
  resolve(token: string): ProcessGrant {
    const row = this.db
      .select()
      .from(processTokens)
      .where(and(eq(processTokens.tokenHash, hashToken(token)), gt(processTokens.expiresAt, this.now())))
      .get();
    if (!row) throw new ApiError("unauthorized", "Process token is revoked, expired or unknown");
    return { tokenId: row.id, sessionId: row.sessionId, userId: row.userId, processId: row.processId, scopes: row.scopes };
  }

  /** Idempotent: revoking a token that is already gone is not an error. */
  revoke(tokenId: string): void {
    this.db.delete(processTokens).where(eq(processTokens.id, tokenId)).run();
  }

  countLive(): number {
    return countRows(this.db, processTokens, gt(processTokens.expiresAt, this.now()));
  }

  sweepExpired(): number {
    return this.db.delete(processTokens).where(lte(processTokens.expiresAt, this.now())).run().changes;
  }
}
