// The token suite: every credential that must not work, on every protected route family of both
// services, is refused (4xx in the ErrorBody shape) and changes nothing; the figures are printed.
// Run alone: npx vitest run test/attack/tokens.test.ts

import { ErrorBody } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVICE_TOKEN, startKonsoleHarness, type KonsoleHarness } from "../../packages/konsole/test/support/konsole-harness.ts";
import { craftJwt } from "./jwt-craft.ts";
import { internalRoutes, konsoleRoutes, konuiRoutes, otherSessionReads, type KonuiRoute, type Use } from "./protected-routes.ts";
import { buildWorld, type World } from "./token-world.ts";

interface Tally {
  uses: number;
  refused: number;
  statuses: Map<number, number>;
  accepted: string[];
}
const tallies = new Map<string, Tally>();

async function tryForbidden(category: string, use: Use, send: () => Promise<Response>): Promise<void> {
  const tally: Tally = tallies.get(category) ?? { uses: 0, refused: 0, statuses: new Map(), accepted: [] };
  tallies.set(category, tally);
  const res = await send();
  const text = await res.text();
  tally.uses += 1;
  tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
  const inShape = (() => {
    try {
      return ErrorBody.safeParse(JSON.parse(text)).success;
    } catch {
      return false;
    }
  })();
  if (res.status >= 400 && res.status < 500 && res.status !== 429 && inShape) tally.refused += 1;
  else tally.accepted.push(`${use.method} ${use.path} → ${res.status} ${text.slice(0, 120)}`);
}

function konuiRequest(w: World, use: Use & { live?: boolean }, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) {
    if (use.live) headers["sec-websocket-protocol"] = `bearer, ${token}`;
    else headers.authorization = `Bearer ${token}`;
  }
  return w.h.call(use.method, use.path, { headers, ...(use.body === undefined ? {} : { body: use.body }) });
}

/** What konui shows of the things the attacks aim at; it must not move. */
async function snapshot(w: World): Promise<unknown> {
  const read = async (path: string, token: string) => (await w.h.call("GET", path, { token })).json();
  return {
    users: await read("/api/users", w.admin),
    kontask: await read(`/api/kontasks/${w.kontaskId}`, w.alice),
    bobKontask: await read(`/api/kontasks/${w.bobKontaskId}`, w.admin),
    kontasks: await read("/api/kontasks?limit=100", w.admin),
    session: await read(`/api/agents/claude/sessions/${w.sessionId}`, w.alice),
    guardrails: await read("/api/agents/claude/guardrails", w.admin),
    flags: await read("/api/flags", w.admin),
    sessions: await read("/api/agents/claude/sessions", w.admin),
  };
}

let w: World;
let konsole: KonsoleHarness;
beforeAll(async () => {
  w = await buildWorld();
  konsole = await startKonsoleHarness();
});
afterAll(async () => {
  w?.h.close();
  await konsole?.stop();
  const lines = [...tallies].map(([category, t]) => {
    const statuses = [...t.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${n}×${status}`).join(" ");
    return `  ${category.padEnd(58)} ${String(t.refused).padStart(4)}/${String(t.uses).padEnd(4)} ${statuses}`;
  });
  const uses = [...tallies.values()].reduce((sum, t) => sum + t.uses, 0);
  const refused = [...tallies.values()].reduce((sum, t) => sum + t.refused, 0);
  console.log(`token suite: ${uses} forbidden uses, ${refused} refused\n${lines.join("\n")}`);
});

describe("konui /api and /api/live", () => {
  it("refuses every bad credential on every route, with 401, and nothing changes", async () => {
    const before = await snapshot(w);
    for (const [name, token] of Object.entries(w.badCredentials)) {
      for (const route of konuiRoutes(w)) await tryForbidden(`konui: ${name}`, route, () => konuiRequest(w, route, token));
    }
    expect(await snapshot(w)).toEqual(before);
    for (const [category, t] of tallies) {
      expect(t.accepted, category).toEqual([]);
      expect([...t.statuses.keys()], category).toEqual([401]);
    }
  });

  it("refuses a live process token on every route it may not use, and outside its own session", async () => {
    const before = await snapshot(w);
    for (const route of konuiRoutes(w).filter((r) => !r.process)) {
      await tryForbidden("konui: process token, route outside its scopes", route, () => konuiRequest(w, route, w.processToken));
    }
    for (const use of otherSessionReads(w)) {
      await tryForbidden("konui: process token, another session of its user", use, () => konuiRequest(w, use, w.processToken));
    }
    expect(await snapshot(w)).toEqual(before);
  });

  it("refuses a plain user on admin routes and on another user's sessions and kontasks", async () => {
    const before = await snapshot(w);
    const routes = konuiRoutes(w);
    for (const route of routes.filter((r) => r.admin)) await tryForbidden("konui: plain user, admin route", route, () => konuiRequest(w, route, w.bob));
    for (const route of routes.filter((r) => r.alices)) await tryForbidden("konui: another user's data", route, () => konuiRequest(w, route, w.bob));
    expect(await snapshot(w)).toEqual(before);
  });
});

describe("service-token routes", () => {
  const credentials = (): Record<string, string | undefined> => ({
    "no token": undefined,
    "a wrong service token": "wrong-service-token-0123456789",
    "the service token with one character changed": `${SERVICE_TOKEN.slice(0, -1)}X`,
    "the service token with a suffix": `${SERVICE_TOKEN}0`,
    "an admin's access token": w.admin,
    "a live process token": w.processToken,
    "a JWT signed with the service token": craftJwt("HS256", { sub: "konsole" }, SERVICE_TOKEN),
  });

  it("konui /internal refuses everything but the service token", async () => {
    for (const [name, token] of Object.entries(credentials())) {
      for (const use of internalRoutes()) await tryForbidden(`konui /internal: ${name}`, use, () => konuiRequest(w, use, token));
    }
  });

  it("konsole refuses everything but the service token, on every route", async () => {
    const basic = `Basic ${Buffer.from(`konui:${SERVICE_TOKEN}`).toString("base64")}`;
    for (const [name, token] of Object.entries({ ...credentials(), "the service token as Basic auth": basic })) {
      for (const use of konsoleRoutes) {
        const authorization = token === undefined ? undefined : token.startsWith("Basic ") ? token : `Bearer ${token}`;
        await tryForbidden(`konsole: ${name}`, use, () =>
          fetch(`${konsole.konsole.url}${use.path}`, {
            method: use.method,
            headers: { ...(authorization ? { authorization } : {}), ...(use.body ? { "content-type": "application/json" } : {}) },
            body: use.body ? JSON.stringify(use.body) : undefined,
          }),
        );
      }
    }
    expect((await konsole.hotStatus()).processes).toEqual([]);
  });

  it("every forbidden use was refused", () => {
    const failures = [...tallies].flatMap(([category, t]) => t.accepted.map((line) => `${category}: ${line}`));
    expect(failures).toEqual([]);
  });
});

describe("control: the same requests with the right credential get past authentication", () => {
  it("konui: the owner, the admin or the process token as each route allows", async () => {
    const fresh = await buildWorld();
    try {
      const turned: string[] = [];
      const check = async (route: KonuiRoute, token: string, who: string) => {
        const res = await konuiRequest(fresh, route, token);
        // In-process there is no upgrade: past authentication, the live route asks for one (400).
        const passed = route.live ? res.status === 400 : res.status < 400;
        if (!passed) turned.push(`${who} ${route.method} ${route.path} → ${res.status} ${await res.text()}`);
      };
      for (const route of konuiRoutes(fresh).filter((r) => r.process)) await check(route, fresh.processToken, "process");
      for (const route of konuiRoutes(fresh)) await check(route, route.admin ? fresh.admin : fresh.alice, route.admin ? "admin" : "alice");
      expect(turned).toEqual([]);
    } finally {
      fresh.h.close();
    }
  });

  it("konsole and konui /internal: the service token gets past authentication", async () => {
    for (const use of konsoleRoutes) {
      // Bodies dropped: past authentication they would start claude processes; a 400 is enough.
      const res = await fetch(`${konsole.konsole.url}${use.path}`, { method: use.method, headers: { authorization: `Bearer ${SERVICE_TOKEN}` } });
      expect(res.status, `${use.method} ${use.path}`).not.toBe(401);
    }
    for (const use of internalRoutes()) {
      const res = await konuiRequest(w, use, SERVICE_TOKEN);
      expect(res.status, `${use.method} ${use.path}`).not.toBe(401);
    }
  });
});
