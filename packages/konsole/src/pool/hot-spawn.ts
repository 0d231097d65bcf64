import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { buildClaudeArgs, type Conversation } from "../claude/args.ts";
import { buildChildEnv } from "../claude/child-env.ts";
import { ClaudeProcess } from "../claude/claude-process.ts";
import type { KonsoleConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { ProcessTokenClient } from "../tokens/process-token-client.ts";
import { hotLifeShortfall } from "./fresh-life.ts";
import type { HotProfile } from "./hot-profile.ts";
import { HotProcess, type HotBinding } from "./hot-process.ts";

/** A hot process is retired this long before its token expires, and asks for a token this much longer than its age. */
const TOKEN_MARGIN_SEC = 120;

export interface HotSpawnDeps {
  config: KonsoleConfig;
  tokens: ProcessTokenClient;
  logger: Logger;
}

export interface HotSpawnRequest {
  conversation: Conversation;
  cwd: string;
  profile: HotProfile;
  /** null for a pool process: its token is bound when a session claims it. */
  binding: HotBinding | null;
  /** The turn it is spawned for needs at least this long (its execution timeout); 0 for the pool. */
  minLifeSec: number;
}

export class HotLifeTooShortError extends Error {
  override name = "HotLifeTooShortError";

  constructor(
    message: string,
    /** How long the process could have lived. */
    readonly lifeSec: number,
  ) {
    super(message);
  }
}

/** Token first (bound, or a pool token), then the CLI in stream-json input mode, kept alive. */
export async function spawnHotProcess(deps: HotSpawnDeps, request: HotSpawnRequest): Promise<HotProcess> {
  const { config } = deps;
  const processId = randomUUID();
  const ttlSec = config.hotMaxAgeSec + TOKEN_MARGIN_SEC;
  const token = request.binding
    ? await deps.tokens.issue({ ...request.binding, processId, ttlSec })
    : await deps.tokens.issuePooled({ processId, ttlSec });
  const spawnedAt = Date.now();
  // konui may cap the lifetime it grants; the process must be gone before its token is.
  const expiresAt = Date.parse(token.expiresAt);
  const retireAt = Math.min(spawnedAt + config.hotMaxAgeSec * 1000, (Number.isNaN(expiresAt) ? Infinity : expiresAt) - TOKEN_MARGIN_SEC * 1000);
  const lifeSec = Math.max(0, Math.round((retireAt - spawnedAt) / 1000));
  const shortfall = hotLifeShortfall(request.minLifeSec, lifeSec);
  try {
    if (shortfall) throw new HotLifeTooShortError(shortfall, lifeSec);
    await mkdir(request.cwd, { recursive: true, mode: 0o700 });
  } catch (error) {
    await deps.tokens.revoke(token.tokenId);
    throw error;
  }
  const process = new ClaudeProcess({
    id: processId,
    bin: config.claudeBin,
    args: buildClaudeArgs({ conversation: request.conversation, ...request.profile }),
    cwd: request.cwd,
    env: buildChildEnv(config.childEnv, { konuiUrl: config.konuiUrl, konuiToken: token.token, instanceTag: config.instanceTag }),
    logger: deps.logger.child({ hot: true, claudeSessionId: request.conversation.claudeSessionId }),
  });
  return new HotProcess({
    process,
    tokenId: token.tokenId,
    claudeSessionId: request.conversation.claudeSessionId,
    startedNew: request.conversation.kind === "new",
    cwd: request.cwd,
    profile: request.profile,
    binding: request.binding,
    spawnedAt,
    retireAt,
    settleMs: config.hotSettleMs,
    stopGraceMs: config.stopGraceMs,
  });
}
