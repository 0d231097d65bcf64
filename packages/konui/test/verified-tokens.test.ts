// Verified access tokens are remembered, so revocation must reach the memory itself: each case
// uses a token (it is now remembered), takes its access away, and tries the very next request.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VerifiedTokens } from "../src/auth/verified-tokens.ts";
import { adminAliceBob, createHarness, json, type Harness } from "./support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const me = (token: string) => h.call("GET", "/api/me", { token });
const refusal = async (token: string) => {
  const res = await me(token);
  return { status: res.status, body: await json(res) };
};

describe("a remembered access token loses its access on the very next request", () => {
  it("after logout", async () => {
    const token = await h.login();
    expect((await me(token)).status).toBe(200);
    expect((await h.call("POST", "/api/logout", { token })).status).toBe(204);
    expect(await refusal(token)).toEqual({ status: 401, body: { error: { code: "unauthorized", message: "Access token revoked" } } });
  });

  it("after its user is disabled, every one of their logins", async () => {
    const { admin, alice } = await adminAliceBob(h);
    const aliceAgain = await h.login("alice", "alice-password");
    for (const token of [alice, aliceAgain]) expect((await me(token)).status).toBe(200);
    expect((await h.call("PATCH", `/api/users/${h.userId("alice")}`, { token: admin, body: { disabled: true } })).status).toBe(200);
    for (const token of [alice, aliceAgain]) expect((await me(token)).status).toBe(401);
  });

  it("after a new password: every other login of the user, but the admin's own that set it", async () => {
    const { admin } = await adminAliceBob(h);
    const otherAdminLogin = await h.login();
    for (const token of [admin, otherAdminLogin]) expect((await me(token)).status).toBe(200);
    const changed = await h.call("PATCH", `/api/users/${h.userId("admin")}`, { token: admin, body: { password: "another-password-1" } });
    expect(changed.status).toBe(200);
    expect((await me(admin)).status).toBe(200);
    expect((await me(otherAdminLogin)).status).toBe(401);
  });

  it("once it expires, though it was remembered before", async () => {
    const token = await h.login();
    expect((await me(token)).status).toBe(200);
    h.clock.advance(901_000);
    expect(await refusal(token)).toEqual({ status: 401, body: { error: { code: "unauthorized", message: "Access token expired" } } });
  });

  it("revoking one login leaves the user's other logins and other users working", async () => {
    const { admin, alice, bob } = await adminAliceBob(h);
    const aliceAgain = await h.login("alice", "alice-password");
    for (const token of [admin, alice, aliceAgain, bob]) expect((await me(token)).status).toBe(200);
    expect((await h.call("POST", "/api/logout", { token: alice })).status).toBe(204);
    expect((await me(alice)).status).toBe(401);
    for (const token of [admin, aliceAgain, bob]) expect((await me(token)).status).toBe(200);
  });
});

describe("VerifiedTokens", () => {
  const claims = (jti: string, expiresAt = 10_000) => ({ userId: "u", jti, expiresAt });

  it("holds at most its capacity, dropping the least recently used", () => {
    const cache = new VerifiedTokens(2);
    cache.remember("a", claims("a"));
    cache.remember("b", claims("b"));
    expect(cache.get("a", 0)).toEqual(claims("a"));
    cache.remember("c", claims("c"));
    expect(cache.size).toBe(2);
    expect(cache.get("b", 0)).toBeUndefined();
    expect(cache.get("a", 0)).toEqual(claims("a"));
    expect(cache.get("c", 0)).toEqual(claims("c"));
  });

  it("never answers with an entry at or past its expiry, and drops it", () => {
    const cache = new VerifiedTokens();
    cache.remember("a", claims("a", 500));
    expect(cache.get("a", 499)).toBeDefined();
    expect(cache.get("a", 500)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
