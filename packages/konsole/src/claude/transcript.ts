import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TurnAccumulator } from "./turn-accumulator.ts";

/**
 * Where the CLI keeps the transcript of a conversation run in `cwd` by a child with this
 * environment: its config dir, then a project folder named after the cwd with every
 * non-alphanumeric turned into `-`.
 */
export function transcriptPath(childEnv: Readonly<Record<string, string>>, cwd: string, claudeSessionId: string): string {
  const configDir = childEnv.CLAUDE_CONFIG_DIR ?? path.join(childEnv.HOME ?? os.homedir(), ".claude");
  return path.join(configDir, "projects", cwd.replace(/[^a-zA-Z0-9]/g, "-"), `${claudeSessionId}.jsonl`);
}

export async function deleteTranscript(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch {
    return false;
  }
}

/** The conversation's running total from the last `cost-state` record, if the transcript has one. */
async function lastTranscriptCostUsd(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!line?.includes('"cost-state"')) continue;
    try {
      const record = JSON.parse(line) as { type?: unknown; totalCostUSD?: unknown };
      if (record.type === "cost-state" && typeof record.totalCostUSD === "number") return record.totalCostUSD;
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * A turn's own cost by its transcript (the running total less `previousTotalUsd`), read only for
 * a turn whose output says nothing about cost: no `result`, no usage.
 */
export async function transcriptTurnCostUsd(
  file: string,
  accumulator: TurnAccumulator,
  previousTotalUsd: number | undefined,
): Promise<number | undefined> {
  if (accumulator.result || accumulator.messageUsage.size > 0) return undefined;
  const total = await lastTranscriptCostUsd(file);
  return total === undefined ? undefined : Math.max(0, total - (previousTotalUsd ?? 0));
}
