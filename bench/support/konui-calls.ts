// JSON calls to a konui under test, failing loudly on anything but success.

export interface KonuiCalls {
  call<T>(method: string, route: string, token: string | undefined, body?: unknown): Promise<T>;
  /** An access token from `POST /api/token`. */
  login(username: string, password: string): Promise<string>;
}

export function konuiCalls(baseUrl: string): KonuiCalls {
  async function call<T>(method: string, route: string, token: string | undefined, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${route}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  const login = async (username: string, password: string) =>
    (await call<{ access_token: string }>("POST", "/api/token", undefined, { username, password })).access_token;
  return { call, login };
}
