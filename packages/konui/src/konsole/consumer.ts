import { KonsoleServerFrame, type JournalEntry, type KonsoleClientFrame } from "@kon/protocol";
import WebSocket from "ws";
import type { Db } from "../db/open.ts";
import type { DecisionDesk } from "../decisions/decision-desk.ts";
import type { HostFeed } from "../host/host-feed.ts";
import type { Logger } from "../logger.ts";
import type { TurnRecorder } from "../sessions/turn-recorder.ts";
import { loadCursor, saveCursor } from "./cursor-store.ts";
import type { TurnStream } from "./turn-stream.ts";

export interface KonsoleConsumerOptions {
  /** konsole's base URL (http/https); the consumer connects to its `/ws`. */
  konsoleUrl: string;
  serviceToken: string;
  db: Db;
  recorder: TurnRecorder;
  stream: TurnStream;
  decisions: DecisionDesk;
  /** Where the host observer's entries go (as `host` frames). */
  host: HostFeed;
  logger: Logger;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  heartbeatMs?: number;
}

/**
 * Follows konsole's journal over its WebSocket from the cursor konui stored, records turn
 * outcomes and tool calls (the cursor advances in the same transaction), fans live progress
 * out to the dashboard and reconnects with back-off, resuming where it left off.
 */
export class KonsoleConsumer {
  private socket: WebSocket | undefined;
  private stopped = true;
  private backoffMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastCursor: number;
  private isSubscribed = false;

  constructor(private readonly options: KonsoleConsumerOptions) {
    this.backoffMs = options.initialBackoffMs ?? 250;
    this.lastCursor = loadCursor(options.db);
  }

  get cursor(): number {
    return this.lastCursor;
  }

  get subscribed(): boolean {
    return this.isSubscribed;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeat);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.terminate();
    });
  }

  private connect(): void {
    const { konsoleUrl, serviceToken, logger } = this.options;
    const url = `${konsoleUrl.replace(/^http/, "ws")}/ws`;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${serviceToken}` } });
    this.socket = socket;
    let alive = true;

    socket.on("open", () => {
      const subscribe: KonsoleClientFrame = { type: "subscribe", after: this.lastCursor };
      socket.send(JSON.stringify(subscribe));
      this.heartbeat = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, this.options.heartbeatMs ?? 15_000);
    });
    socket.on("pong", () => {
      alive = true;
    });
    socket.on("message", (data) => {
      alive = true;
      this.onFrame(socket, data.toString());
    });
    socket.on("error", (err) => logger.debug({ err: err.message }, "konsole stream error"));
    socket.on("close", () => {
      clearInterval(this.heartbeat);
      this.isSubscribed = false;
      if (this.socket === socket) this.socket = undefined;
      if (!this.stopped) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 10_000);
    this.options.logger.debug({ delay, cursor: this.lastCursor }, "konsole stream closed; reconnecting");
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped) this.connect();
    }, delay);
  }

  private onFrame(socket: WebSocket, raw: string): void {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    const parsed = KonsoleServerFrame.safeParse(value);
    if (!parsed.success) {
      this.options.logger.warn({ raw: raw.slice(0, 200) }, "unparseable frame from konsole");
      return;
    }
    const frame = parsed.data;
    if (frame.type === "subscribed") {
      this.isSubscribed = true;
      this.backoffMs = this.options.initialBackoffMs ?? 250;
      this.options.logger.info({ after: frame.after }, "following konsole's journal");
    } else if (frame.type === "error") {
      this.options.logger.warn({ error: frame.error }, "konsole stream reported an error");
    } else if (frame.type === "entry") {
      try {
        this.onEntry(frame.entry);
      } catch (err) {
        // Not stored, so not acknowledged: reconnect and get it again from the cursor.
        this.options.logger.error({ err, cursor: frame.entry.cursor }, "could not record a konsole entry");
        socket.terminate();
      }
    }
  }

  private onEntry(entry: JournalEntry): void {
    if (entry.cursor <= this.lastCursor) return;
    const { recorder, stream, decisions, db, host } = this.options;
    if (entry.payload.type === "turn") {
      recorder.record(entry.payload.turn, (tx) => saveCursor(tx, entry.cursor));
      decisions.turnChanged(entry.payload.turn);
    } else if (entry.payload.type === "permission") {
      decisions.record(entry, entry.payload.request, (tx) => saveCursor(tx, entry.cursor));
    } else if (entry.payload.type === "observer") {
      db.transaction((tx) => saveCursor(tx, entry.cursor));
      host.observe(entry.payload.event);
    } else {
      stream.observe(entry, (tx) => saveCursor(tx, entry.cursor));
    }
    this.lastCursor = entry.cursor;
  }
}
