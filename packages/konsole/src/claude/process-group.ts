import { setTimeout as sleep } from "node:timers/promises";

/** Sends `signal` to one process; false when there is no such process (or it is not ours). */
export function signalProcess(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the process group led by `pid`; false when there is no such group. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  return signalProcess(-pid, signal);
}

export function processGroupAlive(pid: number): boolean {
  return signalProcessGroup(pid, 0);
}

export function processAlive(pid: number): boolean {
  return signalProcess(pid, 0);
}

/** SIGTERM to the group led by `pid`, SIGKILL to what is left of it after `graceMs`. */
export async function endProcessGroup(pid: number, graceMs: number): Promise<void> {
  if (!processGroupAlive(pid)) return;
  signalProcessGroup(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (processGroupAlive(pid) && Date.now() < deadline) await sleep(50);
  if (processGroupAlive(pid)) signalProcessGroup(pid, "SIGKILL");
}
