import { ApiError, KonsoleClientFrame, KonsoleCloseCode, validationError, type JournalEntry, type KonsoleServerFrame } from "@kon/protocol";
import type { KonsoleBus } from "../events/bus.ts";
import type { TurnJournal } from "../journal/turn-journal.ts";

const REPLAY_PAGE = 500;
const DRAIN_POLL_MS = 10;

export interface FrameSink {
  send(frame: KonsoleServerFrame): void;
  /** Bytes sent and not yet written to the network. */
  bufferedBytes(): number;
  /** Closes the socket with this code. */
  close(code: number, reason: string): void;
}

export interface StreamLimits {
  /** A socket with more unsent bytes than this is dropped (a replay waits for it to drain first). */
  maxBufferedBytes: number;
  /** How long a replay waits for a socket to drain before it is dropped. */
  drainTimeoutMs: number;
}

/**
 * One WebSocket's view of the journal. A subscribe replays entries after the cursor from the
 * database and then follows live appends. The last replay page and the start of following
 * happen in one synchronous step, and appends are synchronous too, so nothing falls between
 * the replay and the live stream. A socket that cannot keep up is never buffered without
 * bound: a replay waits for it to drain, and past the cap it is closed with `too_slow` (the
 * client resumes from its last cursor).
 */
export class JournalStream {
  private unsubscribe: (() => void) | null = null;
  /** Bumped by every subscribe, so a replay still under way for an older one stops. */
  private generation = 0;
  private ended = false;

  constructor(
    private readonly journal: TurnJournal,
    private readonly sink: FrameSink,
    private readonly limits: StreamLimits,
    private readonly bus: KonsoleBus,
  ) {
    bus.publish({ type: "stream.opened" });
  }

  handle(raw: string): void {
    if (this.ended) return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      this.sendError(new ApiError("bad_request", "Frames must be JSON"));
      return;
    }
    const frame = KonsoleClientFrame.safeParse(data);
    if (!frame.success) {
      this.sendError(validationError(frame.error, "frame"));
      return;
    }
    if (frame.data.type === "ping") {
      this.sink.send({ type: "pong" });
      return;
    }
    this.subscribe(frame.data.sessionId, frame.data.after);
  }

  private subscribe(sessionId: string | undefined, after: number): void {
    this.stopFollowing();
    const generation = ++this.generation;
    this.sink.send({ type: "subscribed", after, sessionId: sessionId ?? null });
    this.replay(generation, sessionId, after).catch(() => {
      // The journal could not be read (konsole is stopping): the client resumes elsewhere or later.
      if (this.ended) return;
      this.end(false);
      this.sink.close(1011, "the journal could not be read");
    });
  }

  private async replay(generation: number, sessionId: string | undefined, after: number): Promise<void> {
    let cursor = after;
    for (;;) {
      const page = this.journal.entriesAfter(cursor, sessionId, REPLAY_PAGE);
      let waited = false;
      for (const entry of page) {
        this.sink.send({ type: "entry", entry });
        cursor = entry.cursor;
        if (this.sink.bufferedBytes() <= this.limits.maxBufferedBytes) continue;
        if (!(await this.drained())) return this.drop();
        if (generation !== this.generation || this.ended) return;
        waited = true;
      }
      if (page.length < REPLAY_PAGE && !waited) break;
    }
    this.unsubscribe = this.journal.subscribe((entry: JournalEntry) => {
      if (entry.cursor <= cursor) return;
      if (sessionId !== undefined && entry.sessionId !== sessionId) return;
      if (this.sink.bufferedBytes() > this.limits.maxBufferedBytes) return this.drop();
      cursor = entry.cursor;
      this.sink.send({ type: "entry", entry });
    });
  }

  /** Waits until the socket is below half the cap; false when it does not get there in time. */
  private async drained(): Promise<boolean> {
    const deadline = Date.now() + this.limits.drainTimeoutMs;
    while (!this.ended && this.sink.bufferedBytes() > this.limits.maxBufferedBytes / 2) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    return true;
  }

  private drop(): void {
    if (this.ended) return;
    this.end(true);
    this.sink.close(KonsoleCloseCode.too_slow, "too slow: resume from your last cursor");
  }

  private sendError(error: ApiError): void {
    this.sink.send({ type: "error", error: error.toBody().error });
  }

  private stopFollowing(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private end(dropped: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.generation += 1;
    this.stopFollowing();
    this.bus.publish({ type: "stream.closed", dropped });
  }

  /** The socket is gone. */
  close(): void {
    this.end(false);
  }
}
