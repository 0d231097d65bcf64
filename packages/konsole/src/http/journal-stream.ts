import { ApiError, KonsoleClientFrame, validationError, type JournalEntry, type KonsoleServerFrame } from "@kon/protocol";
import type { TurnJournal } from "../journal/turn-journal.ts";

const REPLAY_PAGE = 500;

export interface FrameSink {
  send(frame: KonsoleServerFrame): void;
}

/**
 * One WebSocket's view of the journal. A subscribe replays entries after the cursor from the
 * database and then follows live appends; both happen in one synchronous step, and appends are
 * synchronous too, so nothing falls between the replay and the live stream.
 */
export class JournalStream {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly journal: TurnJournal,
    private readonly sink: FrameSink,
  ) {}

  handle(raw: string): void {
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
    this.close();
    this.sink.send({ type: "subscribed", after, sessionId: sessionId ?? null });
    let cursor = after;
    for (;;) {
      const page = this.journal.entriesAfter(cursor, sessionId, REPLAY_PAGE);
      for (const entry of page) this.sink.send({ type: "entry", entry });
      cursor = page.at(-1)?.cursor ?? cursor;
      if (page.length < REPLAY_PAGE) break;
    }
    this.unsubscribe = this.journal.subscribe((entry: JournalEntry) => {
      if (entry.cursor <= cursor) return;
      if (sessionId !== undefined && entry.sessionId !== sessionId) return;
      cursor = entry.cursor;
      this.sink.send({ type: "entry", entry });
    });
  }

  private sendError(error: ApiError): void {
    this.sink.send({ type: "error", error: error.toBody().error });
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
