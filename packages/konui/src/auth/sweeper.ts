import type { Logger } from "../logger.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { ProcessTokens } from "./process-tokens.ts";
import type { LoginThrottle } from "./throttle.ts";

/** Deletes expired process tokens, logins and forgotten login failures on an interval; returns its stopper. */
export function startTokenSweeper(
  processTokens: ProcessTokens,
  accessTokens: AccessTokens,
  throttle: LoginThrottle,
  intervalMs: number,
  logger: Logger,
): () => void {
  const sweep = () => {
    try {
      const processes = processTokens.sweepExpired();
      const logins = accessTokens.sweepExpired();
      const throttleKeys = throttle.sweep();
      if (processes + logins + throttleKeys > 0) logger.debug({ processes, logins, throttleKeys }, "swept expired tokens");
    } catch (err) {
      logger.error({ err }, "token sweep failed");
    }
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
