// A dashboard client of konui's `/api/live`, as a browser would open it.

import { DASHBOARD_BEARER_PROTOCOL, DashboardServerFrame } from "@kon/protocol";
import WebSocket from "ws";

/** Opens with the `bearer` sub-protocol (no token in the URL) and keeps every frame, parsed. */
export class DashboardStream {
  readonly frames: DashboardServerFrame[] = [];
  private problem: Error | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const parsed = DashboardServerFrame.safeParse(JSON.parse(data.toString()));
      if (parsed.success) this.frames.push(parsed.data);
      else this.problem = new Error(`konui sent a frame outside the protocol: ${data.toString().slice(0, 200)}`);
    });
  }

  static open(konuiUrl: string, token: string): Promise<DashboardStream> {
    const socket = new WebSocket(`${konuiUrl.replace(/^http/, "ws")}/api/live`, [DASHBOARD_BEARER_PROTOCOL, token]);
    const stream = new DashboardStream(socket);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(stream));
      socket.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      socket.once("error", reject);
    });
  }

  /** The first frame (already here or still to come) that `matches`. */
  async until(matches: (frame: DashboardServerFrame) => boolean, timeoutMs = 30_000): Promise<DashboardServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.problem) throw this.problem;
      const found = this.frames.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching frame in ${timeoutMs} ms; got ${this.frames.map((f) => f.type).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}
