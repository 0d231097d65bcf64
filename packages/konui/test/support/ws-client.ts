import WebSocket from "ws";

/** How a socket ended. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** A WebSocket client that queues parsed frames so tests can await the next one. */
export class FrameReader<T = Record<string, unknown>> {
  private readonly frames: T[] = [];
  private waiters: ((frame: T) => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as T;
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
  }

  next(timeoutMs = 30_000): Promise<T> {
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const waiter = (frame: T) => {
        clearTimeout(timer);
        resolve(frame);
      };
      const timer = setTimeout(() => {
        // Gone from the queue, so the next frame goes to the next reader rather than nowhere.
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error("no frame in time"));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Frames that arrive within `ms`: only for checking that nothing (more) came. */
  async drain(ms = 100): Promise<T[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.frames.splice(0);
  }

  /** Collects frames until `done` holds for all collected so far, however long they take (up to `timeoutMs`). */
  async collectUntil(done: (frames: T[]) => boolean, timeoutMs = 30_000): Promise<T[]> {
    const collected: T[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      collected.push(...this.frames.splice(0));
      if (done(collected)) return collected;
      if (Date.now() > deadline) throw new Error(`frames so far did not satisfy the wait: ${JSON.stringify(collected).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Opens a socket whose frames are read from the start (a first frame can share the upgrade's packet). */
export function openSocket(url: string, headers: Record<string, string> = {}, protocols: string[] = []): Promise<FrameReader> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { headers });
    const reader = new FrameReader(socket);
    socket.once("open", () => resolve(reader));
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once("error", reject);
  });
}
