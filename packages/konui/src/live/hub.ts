import type { DashboardCloseReason, DashboardServerFrame, LiveCloseCause } from "@kon/protocol";
import { createKonuiBus, type AccessLost, type KonuiBus } from "../events/bus.ts";

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
  /** Bytes sent and not yet written to the network; a client without it is never too slow. */
  bufferedBytes?(): number;
  end(reason: DashboardCloseReason): void;
}

export interface LiveHubOptions {
  /** Pieces of a streaming reply closer together than this go out as one frame. */
  progressWindowMs?: number;
  /** A client with more unsent bytes than this is dropped with `too_slow` rather than buffered further. */
  maxBufferedBytes?: number;
  bus?: KonuiBus;
}

type ProgressFrame = Extract<DashboardServerFrame, { type: "progress" }>;

/**
 * Fans events out to dashboard WebSocket clients, each seeing only what they may. Pieces of a
 * streaming reply that come within `progressWindowMs` of each other go out as one frame (a turn
 * streams a delta every few ms; each frame costs a send to every socket); any other frame first
 * sends the pieces held, so the order clients see never changes. A client that cannot keep up
 * is closed with `too_slow` (it reconnects and reads back), never buffered without bound.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly heldProgress = new Map<string, { frame: ProgressFrame; audience: Audience }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly progressWindowMs: number;
  private readonly maxBufferedBytes: number;
  private readonly bus: KonuiBus;

  constructor(options: LiveHubOptions = {}) {
    this.progressWindowMs = options.progressWindowMs ?? 0;
    this.maxBufferedBytes = options.maxBufferedBytes ?? Number.POSITIVE_INFINITY;
    this.bus = options.bus ?? createKonuiBus();
  }

  /** Adds a client; the function returned removes it when its socket closed. */
  add(client: LiveClient): () => void {
    this.clients.add(client);
    this.bus.publish({ type: "live.opened", userId: client.userId });
    return () => this.remove(client, "client");
  }

  private remove(client: LiveClient, cause: LiveCloseCause): boolean {
    if (!this.clients.delete(client)) return false;
    this.bus.publish({ type: "live.closed", userId: client.userId, cause });
    return true;
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
      if ((client.bufferedBytes?.() ?? 0) > this.maxBufferedBytes) {
        if (this.remove(client, "too_slow")) client.end("too_slow");
        continue;
      }
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
      this.remove(client, "access_lost");
      client.end(lost.reason);
    }
  }
}
