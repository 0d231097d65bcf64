import { generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, createHarness, JWT_SECRET, json, type Harness } from "./support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const me = (token: string) => h.call("GET", "/api/me", { token });

async function adminId(): Promise<string> {
  return h.services.users.findByUsername("admin")?.id ?? "";
}

function claims(sub: string, jti = crypto.randomUUID()) {
  return new SignJWT({}).setSubject(sub).setIssuer("konui").setAudience("konui").setJti(jti).setIssuedAt().setExpirationTime("10m");
}

describe("POST /api/token", () => {
  it("accepts form fields and JSON and returns a bearer JWT", async () => {
    const form = await h.call("POST", "/api/token", {
      body: `username=admin&password=${encodeURIComponent(ADMIN_PASSWORD)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(200);
    const body = await json(form);
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 900 });
    const header = JSON.parse(Buffer.from(String(body.access_token).split(".")[0] ?? "", "base64url").toString());
    expect(header.alg).toBe("HS256");
    const payload = JSON.parse(Buffer.from(String(body.access_token).split(".")[1] ?? "", "base64url").toString());
    expect(payload).toHaveProperty("exp");
    expect(payload).toHaveProperty("iat");
    expect(payload).toHaveProperty("jti");
    expect((await me(String(body.access_token))).status).toBe(200);

    const asJson = await h.call("POST", "/api/token", { body: { username: "admin", password: ADMIN_PASSWORD } });
    expect(asJson.status).toBe(200);
  });

  it("answers 401 without saying which part was wrong", async () => {
    const wrongPassword = await h.call("POST", "/api/token", { body: { username: "admin", password: "nope-nope" } });
    const unknownUser = await h.call("POST", "/api/token", { body: { username: "ghost", password: "nope-nope" } });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(await json(wrongPassword)).toEqual(await json(unknownUser));
  });

  it("answers 400 on missing fields or malformed JSON, 415 on a wrong content type", async () => {
    expect((await h.call("POST", "/api/token", { body: { username: "admin" } })).status).toBe(400);
    const malformed = await h.call("POST", "/api/token", { body: "{nope", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(await json(malformed)).toEqual({ error: { code: "bad_request", message: "Malformed JSON body" } });
    expect((await h.call("POST", "/api/token", { body: "x", headers: { "content-type": "text/plain" } })).status).toBe(415);
  });

  it("slows repeated failures down per user, then lets the user in once the wait is over", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await h.call("POST", "/api/token", { body: { username: "admin", password: "wrong-one" } })).status).toBe(401);
    }
    expect((await h.call("POST", "/api/token", { body: { username: "admin", password: "wrong-one" } })).status).toBe(401);
    const blocked = await h.call("POST", "/api/token", { body: { username: "admin", password: ADMIN_PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("1");
    h.clock.advance(1_001);
    expect((await h.call("POST", "/api/token", { body: { username: "admin", password: ADMIN_PASSWORD } })).status).toBe(200);
  });

  it("slows repeated failures down per address, whichever usernames are tried", async () => {
    for (let i = 0; i < 6; i++) {
      await h.call("POST", "/api/token", { body: { username: `guess${i}`, password: "wrong-one" } });
    }
    expect((await h.call("POST", "/api/token", { body: { username: "admin", password: ADMIN_PASSWORD } })).status).toBe(429);
  });
});

describe("access tokens", () => {
  it("refuses a missing or malformed bearer token", async () => {
    expect((await h.call("GET", "/api/me")).status).toBe(401);
    expect((await me("not-a-jwt")).status).toBe(401);
    expect((await h.call("GET", "/api/me", { headers: { authorization: "Basic abc" } })).status).toBe(401);
  });

  it("refuses an expired token", async () => {
    const token = await h.login();
    h.clock.advance(901_000);
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ error: { code: "unauthorized", message: "Access token expired" } });
  });

  it("refuses a token after logout (revoked)", async () => {
    const token = await h.login();
    expect((await h.call("POST", "/api/logout", { token })).status).toBe(204);
    expect((await me(token)).status).toBe(401);
  });

  it("refuses a token signed with another secret (forged)", async () => {
    const forged = await claims(await adminId()).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("y".repeat(48)));
    expect((await me(forged)).status).toBe(401);
  });

  it("refuses a token whose payload was edited", async () => {
    const token = await h.login();
    const [header, , signature] = token.split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "someone-else", exp: 9_999_999_999 })).toString("base64url");
    expect((await me(`${header}.${payload}.${signature}`)).status).toBe(401);
  });

  it("refuses alg none", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const now = Math.floor(h.clock.now() / 1000);
    const payload = Buffer.from(
      JSON.stringify({ sub: await adminId(), iss: "konui", aud: "konui", jti: crypto.randomUUID(), iat: now, exp: now + 600 }),
    ).toString("base64url");
    expect((await me(`${header}.${payload}.`)).status).toBe(401);
  });

  it("refuses HS512 with the right secret and RS256 (algorithm pinned)", async () => {
    const jti = crypto.randomUUID();
    const hs512 = await claims(await adminId(), jti).setProtectedHeader({ alg: "HS512" }).sign(JWT_SECRET);
    expect((await me(hs512)).status).toBe(401);
    const { privateKey } = await generateKeyPair("RS256");
    const rs256 = await claims(await adminId()).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
    expect((await me(rs256)).status).toBe(401);
  });

  it("refuses a well-signed token that was never issued (no login row)", async () => {
    const token = await claims(await adminId()).setProtectedHeader({ alg: "HS256" }).sign(JWT_SECRET);
    expect((await me(token)).status).toBe(401);
  });
});

describe("GET /health", () => {
  it("answers without authentication", async () => {
    const res = await h.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: "ok", service: "konui" });
  });

  it("answers unknown routes with the error shape", async () => {
    // A GET outside /api, /internal and /health is the dashboard's (index.html); other methods are not.
    const res = await h.call("POST", "/nowhere");
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { code: "not_found" } });
  });
});
