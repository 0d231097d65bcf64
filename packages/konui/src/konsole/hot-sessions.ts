import type { KonsoleApi } from "./client.ts";
import type { Logger } from "../logger.ts";

/**
 * Which sessions konsole holds a live process for, asked once per caller (concurrent callers
 * share one request); null when konsole cannot be asked in time, so no listing waits on it.
 */
export class HotSessions {
  private inFlight: Promise<ReadonlySet<string> | null> | undefined;

  constructor(
    private readonly konsole: KonsoleApi,
    private readonly logger: Logger,
    private readonly timeoutMs = 2_000,
  ) {}

  sessionIds(): Promise<ReadonlySet<string> | null> {
    this.inFlight ??= this.ask().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  async isHot(sessionId: string): Promise<boolean | null> {
    const ids = await this.sessionIds();
    return ids === null ? null : ids.has(sessionId);
  }

  private async ask(): Promise<ReadonlySet<string> | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.timeoutMs);
    });
    try {
      const status = await Promise.race([this.konsole.hotStatus(), timeout]);
      if (status === null) return null;
      return new Set(status.processes.flatMap((p) => (p.sessionId !== null && p.state !== "retiring" ? [p.sessionId] : [])));
    } catch (err) {
      this.logger.debug({ err }, "konsole could not say which sessions are hot");
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
