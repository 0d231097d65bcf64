import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, lte } from "drizzle-orm";
import {
  ApiError,
  PROCESS_TOKEN_SCOPES,
  type BindProcessTokenRequest,
  type IssuePoolProcessTokenRequest,
  type IssueProcessTokenRequest,
  type ProcessToken,
} from "@kon/protocol";
import { countRows, type Db } from "../db/open.ts";
import { processTokens } from "../db/schema.ts";
import { createKonuiBus, type KonuiBus } from "../events/bus.ts";
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

/**
 * Opaque per-process tokens, stored only as hashes. A token is bound to one process, session
 * and user, either when it is issued or, for a pre-warmed pool process, once later by `bind`;
 * until then it grants nothing.
 */
export class ProcessTokens {
  constructor(
    private readonly db: Db,
    private readonly defaultTtlSec: number,
    private readonly now: Clock,
    private readonly bus: KonuiBus = createKonuiBus(),
  ) {}

  issue(request: IssueProcessTokenRequest): ProcessToken {
    const { sessionId, userId } = request;
    return this.insert(request, { sessionId, userId });
  }

  /** A token for a process no session has claimed yet. */
  issuePooled(request: IssuePoolProcessTokenRequest): ProcessToken {
    return this.insert(request, null);
  }

  /**
   * Ties an unbound, live token to a session and user. One conditional UPDATE, so of two
   * binds racing for one token exactly one wins; the other gets 409.
   */
  bind(tokenId: string, binding: BindProcessTokenRequest): void {
    const at = this.now();
    const { changes } = this.db
      .update(processTokens)
      .set({ sessionId: binding.sessionId, userId: binding.userId, boundAt: at })
      .where(and(eq(processTokens.id, tokenId), isNull(processTokens.boundAt), gt(processTokens.expiresAt, at)))
      .run();
    if (changes === 1) {
      this.bus.publish({ type: "token.bound", kind: "process" });
      return;
    }
    const row = this.db.select().from(processTokens).where(eq(processTokens.id, tokenId)).get();
    if (!row || row.expiresAt <= at) throw new ApiError("not_found", "No live process token with that id (unknown, revoked or expired)");
    throw new ApiError("conflict", "The process token is already bound to a session");
  }

  /** The grant behind a live, bound token; revoked (deleted), expired and unbound tokens are refused at once. */
  resolve(token: string): ProcessGrant {
    const row = this.db
      .select()
      .from(processTokens)
      .where(and(eq(processTokens.tokenHash, hashToken(token)), gt(processTokens.expiresAt, this.now())))
      .get();
    if (!row) throw new ApiError("unauthorized", "Process token is revoked, expired or unknown");
    if (row.sessionId === null || row.userId === null) {
      throw new ApiError("unauthorized", "Process token is not bound to a session yet: it grants nothing until konsole binds it");
    }
    return { tokenId: row.id, sessionId: row.sessionId, userId: row.userId, processId: row.processId, scopes: row.scopes };
  }

  /** Idempotent: revoking a token that is already gone is not an error. */
  revoke(tokenId: string): void {
    const { changes } = this.db.delete(processTokens).where(eq(processTokens.id, tokenId)).run();
    if (changes > 0) this.bus.publish({ type: "token.revoked", kind: "process", count: changes });
  }

  /** Revokes the tokens bound to a session at or before `boundBy` (all of them when omitted). */
  revokeSession(sessionId: string, boundBy?: number): number {
    const ofSession = eq(processTokens.sessionId, sessionId);
    const where = boundBy === undefined ? ofSession : and(ofSession, lte(processTokens.boundAt, boundBy));
    const { changes } = this.db.delete(processTokens).where(where).run();
    if (changes > 0) this.bus.publish({ type: "token.revoked", kind: "process", count: changes });
    return changes;
  }

  /** Live bound tokens: one per Claude process serving a session. */
  countLive(): number {
    return countRows(this.db, processTokens, and(gt(processTokens.expiresAt, this.now()), isNotNull(processTokens.boundAt)));
  }

  /** Live unbound tokens: one per pre-warmed pool process waiting for a session. */
  countPooled(): number {
    return countRows(this.db, processTokens, and(gt(processTokens.expiresAt, this.now()), isNull(processTokens.boundAt)));
  }

  sweepExpired(): number {
    return this.db.delete(processTokens).where(lte(processTokens.expiresAt, this.now())).run().changes;
  }

  private insert(
    request: { processId: string; ttlSec?: number | undefined },
    binding: { sessionId: string; userId: string } | null,
  ): ProcessToken {
    const token = PROCESS_TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const createdAt = this.now();
    const expiresAt = createdAt + (request.ttlSec ?? this.defaultTtlSec) * 1000;
    const row = {
      id: randomUUID(),
      tokenHash: hashToken(token),
      sessionId: binding?.sessionId ?? null,
      userId: binding?.userId ?? null,
      boundAt: binding ? createdAt : null,
      processId: request.processId,
      scopes: [...PROCESS_TOKEN_SCOPES],
      createdAt,
      expiresAt,
    };
    this.db.insert(processTokens).values(row).run();
    this.bus.publish({ type: "token.issued", kind: "process", pooled: binding === null });
    return { tokenId: row.id, token, expiresAt: iso(expiresAt), scopes: row.scopes };
  }
}
