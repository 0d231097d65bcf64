// Everything the token suite needs inside one konui (in-process, real SQLite): people, their
// sessions and kontasks, and every kind of credential that must be refused.

import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { createHarness, JWT_SECRET, SERVICE_TOKEN, type Harness } from "../../packages/konui/test/support/harness.ts";
import { claimsOf, craftJwt, reheadAsNone, tamperClaims } from "./jwt-craft.ts";

export interface World {
  h: Harness;
  admin: string;
  alice: string;
  bob: string;
  aliceId: string;
  /** Alice's session her live process token is bound to, and another of hers. */
  sessionId: string;
  otherSessionId: string;
  /** Alice's kontask in `sessionId`, with one choice ("yes"). */
  kontaskId: string;
  /** Bob's kontask in a session of his. */
  bobKontaskId: string;
  turnId: string;
  /** A live process token bound to alice's `sessionId`. */
  processToken: string;
  /** Credentials that must be refused on every route, by name. */
  badCredentials: Record<string, string | undefined>;
}

async function ok<T>(res: Response, status: number, what: string): Promise<T> {
  const text = await res.text();
  expect(res.status, `${what}: ${text}`).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function buildWorld(): Promise<World> {
  const h = await createHarness();
  const admin = await h.login();
  const alice = await h.userToken("alice");
  const bob = await h.userToken("bob");
  const carol = await h.userToken("carol");
  const aliceId = h.userId("alice");
  const sessionId = await h.newSession(alice);
  const otherSessionId = await h.newSession(alice);
  const bobSession = await h.newSession(bob);
  const call = (method: string, url: string, token: string, body?: unknown) => h.call(method, url, { token, body });

  const kontask = { title: "attack target", type: "task", context: { choices: [{ label: "Yes", value: "yes" }] } };
  const { id: kontaskId } = await ok<{ id: string }>(await call("POST", "/api/kontasks", alice, { ...kontask, sessionId }), 201, "alice's kontask");
  const { id: bobKontaskId } = await ok<{ id: string }>(
    await call("POST", "/api/kontasks", bob, { ...kontask, sessionId: bobSession }),
    201,
    "bob's kontask",
  );
  const { turnId } = await ok<{ turnId: string }>(
    await call("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, alice, { text: "hello" }),
    202,
    "a turn",
  );

  const issue = async (body: Record<string, unknown>, route = "/internal/process-tokens") =>
    ok<{ tokenId: string; token: string }>(await call("POST", route, SERVICE_TOKEN, body), 201, `process token ${route}`);
  const live = await issue({ sessionId, userId: aliceId, processId: "proc-live" });
  const ended = await issue({ sessionId, userId: aliceId, processId: "proc-ended" });
  const expiring = await issue({ sessionId, userId: aliceId, processId: "proc-expiring", ttlSec: 30 });
  const pooled = await issue({ processId: "proc-pooled" }, "/internal/process-tokens/pool");

  // Each of these is used once while good (so any memory of it is warm), then its access ends.
  const loggedOut = await h.login("alice", "alice-password");
  for (const token of [loggedOut, carol, ended.token, expiring.token]) await ok(await call("GET", "/api/me", token), 200, "a good token");
  await ok(await call("POST", "/api/logout", loggedOut), 204, "logout");
  await ok(await call("PATCH", `/api/users/${h.userId("carol")}`, admin, { disabled: true }), 200, "disable carol");
  await ok(await call("DELETE", `/internal/process-tokens/${ended.tokenId}`, SERVICE_TOKEN), 204, "the process ended");
  h.clock.advance(31_000);

  const nowSec = Math.floor(h.clock.now() / 1000);
  const aliceClaims = claimsOf(alice);
  const adminId = h.userId("admin");
  const fresh = { iss: "konui", aud: "konui", iat: nowSec, exp: nowSec + 600 };

  const badCredentials: Record<string, string | undefined> = {
    "no token": undefined,
    "not a JWT": "not-a-jwt",
    "empty signature (HS256 header)": `${alice.split(".").slice(0, 2).join(".")}.`,
    "forged signature (another secret)": craftJwt("HS256", aliceClaims, "y".repeat(48)),
    "alg none, no signature": craftJwt("none", aliceClaims),
    "alg none, real signature kept": reheadAsNone(alice, true),
    "alg none, claims of the admin": craftJwt("none", { ...aliceClaims, sub: adminId }),
    "HS512 with the real secret (algorithm pinned)": craftJwt("HS512", aliceClaims, JWT_SECRET),
    "expired (real secret, live login)": craftJwt("HS256", { ...aliceClaims, iat: nowSec - 7200, exp: nowSec - 3600 }, JWT_SECRET),
    "tampered claims: sub changed to the admin": tamperClaims(alice, { sub: adminId }),
    "tampered claims: exp pushed a year": tamperClaims(alice, { exp: nowSec + 365 * 86_400 }),
    "wrong issuer (real secret)": craftJwt("HS256", { ...aliceClaims, iss: "someone-else" }, JWT_SECRET),
    "wrong audience (real secret)": craftJwt("HS256", { ...aliceClaims, aud: "konsole" }, JWT_SECRET),
    "never issued (real secret, unknown jti)": craftJwt("HS256", { ...fresh, sub: adminId, jti: randomUUID() }, JWT_SECRET),
    "no jti (real secret)": craftJwt("HS256", { ...fresh, sub: adminId }, JWT_SECRET),
    "revoked by logout": loggedOut,
    "disabled user": carol,
    "process token after its process ended": ended.token,
    "expired process token": expiring.token,
    "pooled process token never bound": pooled.token,
    "unknown process token": `kpt_${"A".repeat(43)}`,
    "konsole's service token": SERVICE_TOKEN,
  };
  return {
    h,
    admin,
    alice,
    bob,
    aliceId,
    sessionId,
    otherSessionId,
    kontaskId,
    bobKontaskId,
    turnId,
    processToken: live.token,
    badCredentials,
  };
}
