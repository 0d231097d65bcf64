import type { AddressInfo } from "node:net";
import type { IncomingMessage } from "node:http";
import { KonsoleClientFrame, type JournalEntry, type JournalPayload, type KonsoleServerFrame } from "@kon/protocol";
import { WebSocketServer, type WebSocket } from "ws";

/** A small stand-in for konsole's `/ws`: a journal it replays from `after`, then streams. */
export class KonsoleWsStub {
  readonly journal: JournalEntry[] = [];
  readonly subscribes: { after: number; authorization: string | undefined }[] = [];
  private readonly subscribers = new Set<WebSocket>();
  private constructor(private readonly wss: WebSocketServer) {
    wss.on("connection", (socket: WebSocket, request: IncomingMessage) => {
      socket.on("message", (data) => {
        const frame = KonsoleClientFrame.parse(JSON.parse(data.toString()));
        if (frame.type !== "subscribe") return;
        this.subscribes.push({ after: frame.after, authorization: request.headers.authorization });
        this.send(socket, { type: "subscribed", after: frame.after, sessionId: null });
        for (const entry of this.journal) if (entry.cursor > frame.after) this.send(socket, { type: "entry", entry });
        this.subscribers.add(socket);
      });
      socket.on("close", () => this.subscribers.delete(socket));
    });
  }

  static async start(): Promise<KonsoleWsStub> {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", path: "/ws" });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    return new KonsoleWsStub(wss);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  get connections(): number {
    return this.subscribers.size;
  }

  append(turnId: string, sessionId: string, payload: JournalPayload): JournalEntry {
    const entry: JournalEntry = {
      cursor: this.journal.length + 1,
      turnId,
      sessionId,
      seq: this.journal.filter((e) => e.turnId === turnId).length + 1,
      at: new Date().toISOString(),
      payload,
    };
    this.journal.push(entry);
    for (const socket of this.subscribers) this.send(socket, { type: "entry", entry });
    return entry;
  }

  /** Sends an entry again (konsole may replay on reconnect). */
  resend(entry: JournalEntry): void {
    for (const socket of this.subscribers) this.send(socket, { type: "entry", entry });
  }

  dropConnections(): void {
    for (const socket of this.subscribers) socket.terminate();
    this.subscribers.clear();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(socket: WebSocket, frame: KonsoleServerFrame): void {
    socket.send(JSON.stringify(frame));
  }
}
