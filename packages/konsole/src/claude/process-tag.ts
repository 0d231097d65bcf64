import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { signalProcess } from "./process-group.ts";

/**
 * Every Claude process gets `KONSOLE_PROCESS_ID=<id>` in its environment and its descendants
 * inherit it. The CLI's Bash tool starts commands in a session of their own, so a background
 * job escapes the process group; the tag still finds it, even after it is re-parented.
 */
export const PROCESS_TAG_VAR = "KONSOLE_PROCESS_ID";
/** Which konsole (by data dir) a process belongs to: a restart ends what its previous life left. */
export const INSTANCE_TAG_VAR = "KONSOLE_INSTANCE";

export function instanceTagOf(dataDir: string): string {
  return createHash("sha256").update(dataDir).digest("hex").slice(0, 16);
}

export function findTaggedProcesses(processId: string, variable: string = PROCESS_TAG_VAR): number[] {
  const needle = Buffer.from(`${variable}=${processId}\0`);
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(needle)) found.push(pid);
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

/** SIGTERM to every process carrying the tag, SIGKILL to those still there after `graceMs`. */
export async function endTaggedProcesses(processId: string, graceMs: number, variable: string = PROCESS_TAG_VAR): Promise<number> {
  const first = findTaggedProcesses(processId, variable);
  if (first.length === 0) return 0;
  for (const pid of first) signalProcess(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  let left = findTaggedProcesses(processId, variable);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(50);
    left = findTaggedProcesses(processId, variable);
  }
  for (const pid of left) signalProcess(pid, "SIGKILL");
  return first.length;
}
