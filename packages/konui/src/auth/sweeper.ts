import type { Logger } from "../logger.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { ProcessTokens } from "./process-tokens.ts";

/** Deletes expired process tokens and logins on an interval; returns its stopper. */
export function startTokenSweeper(
  processTokens: ProcessTokens,
  accessTokens: AccessTokens,
  intervalMs: number,
  logger: Logger,
): () => void {
  const sweep = () => {
    try {
      const processes = processTokens.sweepExpired();
      const logins = accessTokens.sweepExpired();
      if (processes + logins > 0) logger.debug({ processes, logins }, "swept expired tokens");
    } catch (err) {
      logger.error({ err }, "token sweep failed");
    }
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
