import { setTimeout as sleep } from "node:timers/promises";
import {
  ProcessToken,
  type BindProcessTokenRequest,
  type IssuePoolProcessTokenRequest,
  type IssueProcessTokenRequest,
} from "@kon/protocol";
import type { KonsoleBus } from "../events/bus.ts";
import type { Logger } from "../logger.ts";
import { requestIdHeaders } from "@kon/openapi";

export class TokenUnavailableError extends Error {
  override name = "TokenUnavailableError";
}

/** The error for a konui answer that is not a success, with the start of its body. */
async function refusal(response: Response, what: string): Promise<TokenUnavailableError> {
  const body = (await response.text().catch(() => "")).slice(0, 300);
  return new TokenUnavailableError(`${what} (HTTP ${response.status}): ${body}`);
}

/** Where granted tokens are written down until they are revoked (see TokenLedger). */
export interface HeldTokens {
  held(tokenId: string, processId: string, expiresAt: string): void;
  released(tokenId: string): void;
}

export interface ProcessTokenClientOptions {
  konuiUrl: string;
  serviceToken: string;
  logger: Logger;
  timeoutMs?: number;
  heldTokens?: HeldTokens;
  bus?: KonsoleBus;
}

export interface RevokeOptions {
  attempts?: number;
  timeoutMs?: number;
}

/** Asks konui for per-process tokens and gives them back when the process is gone. */
export class ProcessTokenClient {
  private readonly timeoutMs: number;

  constructor(private readonly options: ProcessTokenClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.options.serviceToken}`, "content-type": "application/json", ...requestIdHeaders() };
  }

  /** A token bound to one process, session and user. */
  issue(request: IssueProcessTokenRequest): Promise<ProcessToken> {
    return this.requestToken("/internal/process-tokens", request, request.processId);
  }

  /** A token for a pre-warmed process: it grants nothing until `bind` ties it to a session. */
  issuePooled(request: IssuePoolProcessTokenRequest): Promise<ProcessToken> {
    return this.requestToken("/internal/process-tokens/pool", request, request.processId);
  }

  /** Binds a pool token to the session (and user) that claimed its process; konui allows it once. */
  async bind(tokenId: string, request: BindProcessTokenRequest): Promise<void> {
    const response = await this.post(`/internal/process-tokens/${encodeURIComponent(tokenId)}/bind`, request);
    if (!response.ok) throw await refusal(response, "konui refused to bind a pool process token");
    this.options.bus?.publish({ type: "token.bound", tokenId });
  }

  private async post(route: string, body: unknown): Promise<Response> {
    try {
      return await fetch(`${this.options.konuiUrl}${route}`, {
        method: "POST",
        headers: this.headers(),
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new TokenUnavailableError(`Could not get a process token from konui at ${this.options.konuiUrl}: ${cause}`);
    }
  }

  private async requestToken(route: string, request: unknown, processId: string): Promise<ProcessToken> {
    const response = await this.post(route, request);
    if (response.status !== 201 && response.status !== 200) throw await refusal(response, "konui refused a process token");
    const parsed = ProcessToken.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new TokenUnavailableError("konui answered the process-token request with an unexpected body");
    this.note(() => this.options.heldTokens?.held(parsed.data.tokenId, processId, parsed.data.expiresAt));
    this.options.bus?.publish({ type: "token.issued", tokenId: parsed.data.tokenId, pooled: route.endsWith("/pool") });
    return parsed.data;
  }

  /** The ledger is bookkeeping: a failure to write it (say, after the database closed) must not fail a turn. */
  private note(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.options.logger.warn({ err: error }, "could not record a process token in the ledger");
    }
  }

  /** Best effort, retried once by default; never throws. */
  async revoke(tokenId: string, options: RevokeOptions = {}): Promise<boolean> {
    const url = `${this.options.konuiUrl}/internal/process-tokens/${encodeURIComponent(tokenId)}`;
    const attempts = options.attempts ?? 2;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const signal = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
        const response = await fetch(url, { method: "DELETE", headers: this.headers(), signal });
        if (response.ok || response.status === 404) {
          this.note(() => this.options.heldTokens?.released(tokenId));
          this.options.bus?.publish({ type: "token.revoked", tokenId, ok: true });
          return true;
        }
        this.options.logger.warn({ tokenId, status: response.status, attempt }, "konui did not revoke a process token");
      } catch (error) {
        this.options.logger.warn({ tokenId, err: error, attempt }, "could not reach konui to revoke a process token");
      }
      if (attempt < attempts) await sleep(200);
    }
    this.options.bus?.publish({ type: "token.revoked", tokenId, ok: false });
    return false;
  }
}
