import type { AgentSession } from "@kon/protocol";
import type { HotSessions } from "../konsole/hot-sessions.ts";
import type { LiveHub } from "../live/hub.ts";

type Action = "created" | "updated" | "deleted";

/**
 * Sends `session` frames in the order the changes happened, each with konsole's word on whether
 * the session is hot (asked after the change) unless the caller already knows.
 */
export class SessionFrames {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly hub: LiveHub,
    private readonly hot: HotSessions,
  ) {}

  publish(action: Action, session: AgentSession, hot?: boolean | null): void {
    this.chain = this.chain.then(async () => {
      const known = hot !== undefined ? hot : await this.hot.isHot(session.id);
      this.hub.publish({ type: "session", action, session: { ...session, hot: known } }, { userIds: [session.userId] });
    });
  }

  /** Resolves once every frame published so far has gone out. */
  settled(): Promise<void> {
    return this.chain;
  }
}
