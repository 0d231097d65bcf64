import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** Where the CLI keeps its config and transcripts for a child with this environment. */
export function claudeConfigDir(env: Readonly<Record<string, string>>): string {
  return env.CLAUDE_CONFIG_DIR ?? path.join(env.HOME ?? os.homedir(), ".claude");
}

/** The CLI names a project's folder after its cwd with every non-alphanumeric turned into `-`. */
export function transcriptPath(configDir: string, cwd: string, claudeSessionId: string): string {
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
export async function lastTranscriptCostUsd(file: string): Promise<number | undefined> {
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
