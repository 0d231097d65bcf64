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

type ProgressFrame = Extract<DashboardServerFrame, { type: "progress" }>;

/**
 * Fans events out to dashboard WebSocket clients, each seeing only what they may. Pieces of a
 * streaming reply that come within `progressWindowMs` of each other go out as one frame (a turn
 * streams a delta every few ms; each frame costs a send to every socket); any other frame first
 * sends the pieces held, so the order clients see never changes.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly heldProgress = new Map<string, { frame: ProgressFrame; audience: Audience }>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly progressWindowMs = 0) {}

  add(client: LiveClient): () => void {
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  get size(): number {
    return this.clients.size;
  }

  publish(frame: DashboardServerFrame, audience: Audience): void {
    if (frame.type === "progress" && this.progressWindowMs > 0) return this.holdProgress(frame, audience);
    this.flushProgress();
    this.send(frame, audience);
  }

  /** Sends the pieces of replies held back so far. */
  flushProgress(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const held = [...this.heldProgress.values()];
    this.heldProgress.clear();
    for (const { frame, audience } of held) this.send(frame, audience);
  }

  private holdProgress(frame: ProgressFrame, audience: Audience): void {
    const held = this.heldProgress.get(frame.turnId);
    if (held && held.frame.offset + held.frame.text.length === frame.offset) {
      held.frame = { ...held.frame, text: held.frame.text + frame.text };
      return;
    }
    if (held) this.flushProgress();
    this.heldProgress.set(frame.turnId, { frame, audience });
    this.flushTimer ??= setTimeout(() => this.flushProgress(), this.progressWindowMs).unref();
  }

  private send(frame: DashboardServerFrame, audience: Audience): void {
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
