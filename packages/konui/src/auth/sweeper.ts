import type { Logger } from "../logger.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { ProcessTokens } from "./process-tokens.ts";
import type { RefreshTokens } from "./refresh-tokens.ts";

export interface SweptTokens {
  processTokens: ProcessTokens;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
}

/** Deletes expired process tokens, logins and refresh tokens on an interval; returns its stopper. */
export function startTokenSweeper(tokens: SweptTokens, intervalMs: number, logger: Logger): () => void {
  const sweep = () => {
    try {
      const processes = tokens.processTokens.sweepExpired();
      const logins = tokens.accessTokens.sweepExpired();
      const refresh = tokens.refreshTokens.sweepExpired();
      if (processes + logins + refresh > 0) logger.debug({ processes, logins, refresh }, "swept expired tokens");
    } catch (err) {
      logger.error({ err }, "token sweep failed");
    }
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
