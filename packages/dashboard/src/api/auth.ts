import { LOGIN_HINT_COOKIE, type TokenResponse, type User, type Whoami } from "@kon/protocol";
import { failureFromResponse, networkFailure, REQUEST_TIMEOUT_MS } from "./errors.ts";

/** Held while a tab renews the login, so tabs take turns with the shared cookie. */
const REFRESH_LOCK = "kon-refresh";

type Listener = (user: User | null) => void;

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function post(path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw networkFailure(error);
  }
}

/**
 * The browser login: the access token lives only in this object (never storage or URLs); the
 * httpOnly refresh cookie renews it before it expires and after a reload.
 */
export class AuthSession {
  private token: string | null = null;
  private user: User | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();

  get accessToken(): string | null {
    return this.token;
  }

  get currentUser(): User | null {
    return this.user;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(username: string, password: string): Promise<User> {
    const res = await post("/api/auth/login", { username, password });
    const body = await readJson(res);
    if (!res.ok) throw failureFromResponse(res.status, body);
    return this.adopt(body as TokenResponse);
  }

  /** Whether this browser holds a login to renew (the refresh cookie itself is out of the page's reach). */
  mayRefresh(): boolean {
    return document.cookie.split("; ").includes(`${LOGIN_HINT_COOKIE}=1`);
  }

  /**
   * Renews the access token with the cookie; false when there is no login to renew. One at a
   * time, across tabs too: the cookie rotates on use, and two tabs presenting the same one would
   * look like a stolen token to the server, which then ends the login.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.renewInTurn().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private renewInTurn(): Promise<boolean> {
    const run = () => this.doRefresh();
    // The lock answers with the callback's promise, which `then` unwraps.
    return "locks" in navigator ? navigator.locks.request(REFRESH_LOCK, run).then((ok) => ok) : run();
  }

  async logout(): Promise<void> {
    try {
      await post("/api/auth/logout");
    } finally {
      this.clear();
    }
  }

  /** Forget the login locally (the server already ended it). */
  clear(): void {
    clearTimeout(this.refreshTimer);
    const wasSignedIn = this.user !== null;
    this.token = null;
    this.user = null;
    if (wasSignedIn) this.emit();
  }

  private async doRefresh(): Promise<boolean> {
    let res: Response;
    try {
      res = await post("/api/auth/refresh");
    } catch (error) {
      // Offline: keep the login and try again soon rather than logging the person out.
      if (this.token) this.schedule(15);
      throw error;
    }
    if (!res.ok) {
      this.clear();
      return false;
    }
    await this.adopt((await readJson(res)) as TokenResponse);
    return true;
  }

  private async adopt(answer: TokenResponse): Promise<User> {
    this.token = answer.access_token;
    this.schedule(Math.max(10, answer.expires_in * 0.8));
    const res = await fetch("/api/me", {
      headers: { authorization: `Bearer ${answer.access_token}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).catch((error: unknown) => {
      throw networkFailure(error);
    });
    const body = await readJson(res);
    if (!res.ok) throw failureFromResponse(res.status, body);
    const whoami = body as Whoami;
    if (whoami.kind !== "user") throw failureFromResponse(403, undefined);
    const changed = this.user?.id !== whoami.user.id || this.user.role !== whoami.user.role;
    this.user = whoami.user;
    if (changed) this.emit();
    return whoami.user;
  }

  private schedule(seconds: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, seconds * 1000);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.user);
  }
}
