import type { AuthSession } from "./auth.ts";
import { failureFromResponse, networkFailure, REQUEST_TIMEOUT_MS } from "./errors.ts";

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  query?: Query;
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Calls konui with the in-memory access token; a 401 renews it once through the refresh cookie. */
export class ApiClient {
  constructor(private readonly auth: AuthSession) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", path, { query });
  }

  post<T>(path: string, json?: unknown, query?: Query): Promise<T> {
    return this.request<T>("POST", path, { json, query });
  }

  put<T>(path: string, json: unknown): Promise<T> {
    return this.request<T>("PUT", path, { json });
  }

  patch<T>(path: string, json: unknown): Promise<T> {
    return this.request<T>("PATCH", path, { json });
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>("DELETE", path, {});
  }

  async request<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    let res = await this.send(method, path, options);
    if (res.status === 401 && this.auth.accessToken !== null) {
      if (await this.auth.refresh()) res = await this.send(method, path, options);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      if (res.status === 401) this.auth.clear();
      throw failureFromResponse(res.status, body);
    }
    return body as T;
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = this.auth.accessToken;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    try {
      // Uploads of up to 10 MB may take longer than an ordinary request on a slow link.
      const signal = AbortSignal.timeout(options.form ? 4 * REQUEST_TIMEOUT_MS : REQUEST_TIMEOUT_MS);
      return await fetch(withQuery(path, options.query), { method, headers, body, credentials: "same-origin", signal });
    } catch (error) {
      throw networkFailure(error);
    }
  }
}
