import { ApiError, type AgentSession } from "@kon/protocol";
import type { UserRow } from "../auth/users.ts";
import type { Config } from "../config.ts";
import type { KonsoleApi } from "../konsole/client.ts";
import type { SessionFrames } from "../sessions/session-frames.ts";
import type { AgentSessionStore } from "../sessions/store.ts";

const TITLE_MAX = 200;

/**
 * "Continue here": a new agent session bound to a host conversation and its cwd, so its next
 * message resumes that conversation under konsole (guardrails, process token, journal, hot
 * process). konsole refuses (409) while one of its processes holds the conversation.
 */
export class HostAdoption {
  constructor(
    private readonly deps: { konsole: KonsoleApi; sessions: AgentSessionStore; sessionFrames: SessionFrames; config: Config },
  ) {}

  async adopt(user: Pick<UserRow, "id">, claudeSessionId: string, agent: string, title: string | undefined): Promise<AgentSession> {
    const { konsole, sessions, sessionFrames, config } = this.deps;
    const host = await konsole.observerSession(claudeSessionId);
    if (!host.cwd) throw new ApiError("conflict", `Host session ${claudeSessionId} has no working directory on record, so it cannot be resumed`);
    const named = title ?? host.title?.slice(0, TITLE_MAX) ?? `Host session ${claudeSessionId.slice(0, 8)}`;
    const created = sessions.create(agent, user.id, named, config.maxSessionsPerUser);
    try {
      await konsole.adoptConversation(created.id, { claudeSessionId, cwd: host.cwd });
    } catch (error) {
      sessions.delete(created.id);
      throw error;
    }
    const bound = sessions.bindConversation(created.id, claudeSessionId);
    if (!bound) throw new ApiError("not_found", "The new session was deleted meanwhile");
    const session = sessions.present(bound, false);
    sessionFrames.publish("created", session, false);
    return session;
  }
}
