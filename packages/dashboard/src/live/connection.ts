import { DashboardCloseCode, DASHBOARD_BEARER_PROTOCOL, type DashboardServerFrame as Frame } from "@kon/protocol";
import { DashboardServerFrame } from "./frame-schema.ts";

export type ConnectionState = "live" | "reconnecting" | "offline";

export interface LiveHandlers {
  /** The current access token, or null when signed out. */
  token(): string | null;
  /** Renews the token after the server ended the stream for the login; false = log in again. */
  renew(): Promise<boolean>;
  onFrame(frame: Frame): void;
  /** Every (re)connection, after `hello`: the place to read back what may have been missed. */
  onConnected(reconnect: boolean): void;
  onState(state: ConnectionState): void;
  onSignedOut(): void;
}

const LOGIN_ENDED = new Set<number>([
  DashboardCloseCode.token_expired,
  DashboardCloseCode.logged_out,
  DashboardCloseCode.user_disabled,
  DashboardCloseCode.token_revoked,
]);

const PING_MS = 25_000;
const MAX_BACKOFF_MS = 15_000;

/** `/api/live` with reconnects: back-off on failures, at once when the tab comes back or the network returns. */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private attempts = 0;
  private everConnected = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private running = false;

  constructor(private readonly handlers: LiveHandlers) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener("online", this.wake);
    document.addEventListener("visibilitychange", this.wake);
    this.connect();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener("online", this.wake);
    document.removeEventListener("visibilitychange", this.wake);
    clearTimeout(this.retryTimer);
    this.dropSocket();
    this.everConnected = false;
    this.handlers.onState("offline");
  }

  private readonly wake = (): void => {
    if (!this.running || document.visibilityState === "hidden") return;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) {
      // A suspended tab may hold a socket that is silently dead: a ping proves it or closes it.
      this.send({ type: "ping" });
      return;
    }
    clearTimeout(this.retryTimer);
    this.attempts = 0;
    this.connect();
  };

  private connect(): void {
    const token = this.handlers.token();
    if (!token) {
      this.handlers.onState("offline");
      return;
    }
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/live`;
    const socket = new WebSocket(url, [DASHBOARD_BEARER_PROTOCOL, token]);
    this.socket = socket;
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.dropSocket();
      void this.closed(event.code);
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = DashboardServerFrame.safeParse(json);
    if (!parsed.success) {
      console.warn("Ignored a live frame that does not match the protocol", parsed.error.issues[0]);
      return;
    }
    const frame = parsed.data;
    if (frame.type === "hello") {
      const reconnect = this.everConnected;
      this.everConnected = true;
      this.attempts = 0;
      this.handlers.onState("live");
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), PING_MS);
      this.handlers.onFrame(frame);
      this.handlers.onConnected(reconnect);
      return;
    }
    this.handlers.onFrame(frame);
  }

  private async closed(code: number): Promise<void> {
    if (!this.running) return;
    if (LOGIN_ENDED.has(code)) {
      const renewed = await this.handlers.renew().catch(() => false);
      if (!renewed) {
        this.stop();
        this.handlers.onSignedOut();
        return;
      }
      this.attempts = 0;
    }
    this.handlers.onState(this.everConnected ? "reconnecting" : "offline");
    const delay = this.attempts === 0 ? 250 : Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.75 + Math.random() / 2);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private send(frame: { type: "ping" }): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private dropSocket(): void {
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      if (socket.readyState <= WebSocket.OPEN) socket.close(1000);
    }
  }
}
