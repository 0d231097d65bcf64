/** Sends `signal` to the process group led by `pid`; false when there is no such group. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function processGroupAlive(pid: number): boolean {
  return signalProcessGroup(pid, 0);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
