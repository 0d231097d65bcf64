import type { PermissionMode, StartTurnParams } from "@kon/protocol";
import type { KonsoleConfig } from "../config.ts";

/** What a hot process was started with that a prompt cannot change afterwards. */
export interface HotProfile {
  maxTurns: number;
  permissionMode: PermissionMode | undefined;
  allowedTools: readonly string[];
}

export function profileOfTurn(params: StartTurnParams, config: KonsoleConfig): HotProfile {
  return {
    maxTurns: params.maxTurns,
    permissionMode: params.permissionMode ?? config.defaultPermissionMode,
    allowedTools: params.allowedTools ?? config.defaultAllowedTools,
  };
}

export function poolProfile(config: KonsoleConfig): HotProfile {
  return { maxTurns: config.hotPoolMaxTurns, permissionMode: config.defaultPermissionMode, allowedTools: config.defaultAllowedTools };
}

export function sameProfile(a: HotProfile, b: HotProfile): boolean {
  return (
    a.maxTurns === b.maxTurns &&
    a.permissionMode === b.permissionMode &&
    a.allowedTools.length === b.allowedTools.length &&
    a.allowedTools.every((tool, i) => tool === b.allowedTools[i])
  );
}
