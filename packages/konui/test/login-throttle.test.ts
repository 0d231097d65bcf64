import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { openDatabase } from "../src/db/open.ts";
import { ADMIN_PASSWORD, createHarness, JWT_SECRET, silentLogger, testConfig, type Harness } from "./support/harness.ts";

let h: Harness;
const servers: ServerType[] = [];
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  h.close();
});

const attempt = (password: string, username = "admin") => h.call("POST", "/api/token", { body: { username, password } });

/** konui over the harness's database on a real socket, so the peer address is real. */
async function listen(env: Record<string, string> = {}): Promise<string> {
  const { app } = createApp({ config: testConfig(h.dir, env), db: h.database.db, konsole: h.konsole, logger: silentLogger, jwtSecret: JWT_SECRET, now: h.clock.now });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function postLogin(url: string, username: string, password: string, forwardedFor?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (forwardedFor) headers["x-forwarded-for"] = forwardedFor;
  return fetch(`${url}/api/token`, { method: "POST", headers, body: JSON.stringify({ username, password }) });
}

describe("login throttle", () => {
  it("counts parallel guesses before checking them: a burst gets no more tries than a patient guesser", async () => {
    const wrong = Array.from({ length: 199 }, (_, i) => attempt(`wrong-${i}`));
    const statuses = (await Promise.all([...wrong, attempt(ADMIN_PASSWORD)])).map((res) => res.status);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    // Five free failures, then one more once they are all in: never more passwords checked than that.
    expect(count(401) + count(200)).toBeLessThanOrEqual(6);
    expect(count(429)).toBeGreaterThanOrEqual(194);
    expect(count(401) + count(200) + count(429)).toBe(200);
  });

  it("remembers failures across a restart", async () => {
    for (let i = 0; i < 6; i++) expect((await attempt("wrong-one")).status).toBe(401);
    const again = openDatabase(path.join(h.dir, "konui.sqlite"));
    try {
      const { app } = createApp({ config: h.config, db: again.db, konsole: h.konsole, logger: silentLogger, jwtSecret: JWT_SECRET, now: h.clock.now });
      const res = await app.request("/api/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      again.close();
    }
  });

  it("forgets a key after a quiet quarter of an hour (and the sweeper deletes it)", async () => {
    for (let i = 0; i < 6; i++) await attempt("wrong-one");
    expect((await attempt(ADMIN_PASSWORD)).status).toBe(429);
    h.clock.advance(16 * 60_000);
    expect(h.services.throttle.sweep()).toBe(2);
    expect((await attempt(ADMIN_PASSWORD)).status).toBe(200);
  });

  it("ignores X-Forwarded-For unless the peer is a trusted proxy", async () => {
    const direct = await listen();
    for (let i = 0; i < 6; i++) expect((await postLogin(direct, `guess${i}`, "wrong-one", `198.51.100.${i}`)).status).toBe(401);
    // Every guess came from 127.0.0.1 whatever the header said, so that address is blocked.
    expect((await postLogin(direct, "admin", ADMIN_PASSWORD, "198.51.100.99")).status).toBe(429);
  });

  it("keys on the client a trusted proxy names, skipping trusted hops from the right", async () => {
    const proxied = await listen({ KONUI_TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8" });
    for (let i = 0; i < 6; i++) {
      // A client-supplied first hop is not believed: the rightmost untrusted address is the client.
      expect((await postLogin(proxied, `guess${i}`, "wrong-one", `192.0.2.1, 203.0.113.7, 10.1.2.3`)).status).toBe(401);
    }
    expect((await postLogin(proxied, "admin", ADMIN_PASSWORD, "203.0.113.7")).status).toBe(429);
    expect((await postLogin(proxied, "admin", ADMIN_PASSWORD, "192.0.2.1, 203.0.113.8")).status).toBe(200);
  });

  it("answers with Cache-Control: no-store and Pragma: no-cache, success or not", async () => {
    for (const res of [await attempt(ADMIN_PASSWORD), await attempt("wrong-one")]) {
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("pragma")).toBe("no-cache");
    }
  });
});
