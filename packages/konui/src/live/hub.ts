import type { DashboardCloseReason, DashboardServerFrame } from "@kon/protocol";
import type { AccessLost } from "../auth/access-events.ts";

/** Who may see a frame: admins always, plus the users listed. */
export interface Audience {
  userIds: readonly string[];
}

export interface LiveClient {
  userId: string;
  /** The login the stream was opened with. */
  jti: string;
  isAdmin: boolean;
  /** `text` is the frame as JSON, serialized once for every client of a publish. */
  send(frame: DashboardServerFrame, text: string): void;
  end(reason: DashboardCloseReason): void;
}

/** Fans events out to dashboard WebSocket clients, each seeing only what they may. */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();

  add(client: LiveClient): () => void {
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  get size(): number {
    return this.clients.size;
  }

  publish(frame: DashboardServerFrame, audience: Audience): void {
    let text: string | undefined;
    for (const client of this.clients) {
      if (!client.isAdmin && !audience.userIds.includes(client.userId)) continue;
      text ??= JSON.stringify(frame);
      try {
        client.send(frame, text);
      } catch {
        // A client that cannot take a frame is dropped by its own close handler.
      }
    }
  }

  /** Ends the streams of logins that lost access; they stop receiving frames at once. */
  endStreams(lost: AccessLost): void {
    for (const client of [...this.clients]) {
      if (client.userId !== lost.userId) continue;
      if (lost.jti !== undefined && client.jti !== lost.jti) continue;
      if (lost.exceptJti !== undefined && client.jti === lost.exceptJti) continue;
      this.clients.delete(client);
      client.end(lost.reason);
    }
  }
}
