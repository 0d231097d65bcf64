import type { SupervisorDeps } from "./deps.ts";

/** One try per token at start-up, this short, so a konui that is down delays start-up by seconds at most. */
const STARTUP_REVOKE_TIMEOUT_MS = 2_000;

/**
 * Revokes the process tokens a previous life still held (its processes are gone by now), all at
 * once. A token konui could not be told about stays in the ledger for the next start; it
 * expires anyway. Returns how many were revoked.
 */
export async function revokeLeftoverTokens(
  deps: Pick<SupervisorDeps, "tokens" | "tokenLedger" | "logger">,
  alsoTokenIds: Iterable<string> = [],
): Promise<number> {
  const expired = deps.tokenLedger.dropExpired();
  const tokenIds = new Set([...deps.tokenLedger.all().map((row) => row.tokenId), ...alsoTokenIds]);
  if (tokenIds.size === 0) return 0;
  const results = await Promise.all(
    [...tokenIds].map((tokenId) => deps.tokens.revoke(tokenId, { attempts: 1, timeoutMs: STARTUP_REVOKE_TIMEOUT_MS })),
  );
  const revoked = results.filter(Boolean).length;
  const notRevoked = tokenIds.size - revoked;
  const log = notRevoked > 0 ? deps.logger.warn.bind(deps.logger) : deps.logger.info.bind(deps.logger);
  log({ revoked, notRevoked, expired }, "revoked process tokens a previous konsole left");
  return revoked;
}
