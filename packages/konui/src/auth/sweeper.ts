import type { KonuiBus } from "../events/bus.ts";
import type { Logger } from "../logger.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { ProcessTokens } from "./process-tokens.ts";
import type { RefreshTokens } from "./refresh-tokens.ts";
import type { LoginThrottle } from "./throttle.ts";

export interface Swept {
  processTokens: ProcessTokens;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  throttle: LoginThrottle;
  bus: KonuiBus;
}

/** Deletes expired process tokens, logins, refresh tokens and forgotten login failures on an interval; returns its stopper. */
export function startTokenSweeper(swept: Swept, intervalMs: number, logger: Logger): () => void {
  const sweep = () => {
    try {
      const processes = swept.processTokens.sweepExpired();
      const logins = swept.accessTokens.sweepExpired();
      const refresh = swept.refreshTokens.sweepExpired();
      const throttleKeys = swept.throttle.sweep();
      for (const [kind, count] of [["process", processes], ["access", logins], ["refresh", refresh]] as const) {
        if (count > 0) swept.bus.publish({ type: "token.swept", kind, count });
      }
      if (processes + logins + refresh + throttleKeys > 0) logger.debug({ processes, logins, refresh, throttleKeys }, "swept expired tokens");
    } catch (err) {
      logger.error({ err }, "token sweep failed");
    }
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
