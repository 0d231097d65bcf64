import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, json, type Harness } from "./support/harness.ts";

let h: Harness;
let admin: string;
beforeEach(async () => {
  h = await createHarness();
  admin = await h.login();
});
afterEach(() => h.close());

describe("users", () => {
  it("lets an admin create, list, disable and re-enable users", async () => {
    const created = await h.call("POST", "/api/users", { token: admin, body: { username: "alice", password: "alice-password" } });
    expect(created.status).toBe(201);
    const alice = await json(created);
    expect(alice).toMatchObject({ username: "alice", role: "user", disabled: false });
    expect(alice).not.toHaveProperty("passwordHash");

    const list = await json<{ users: { username: string }[] }>(await h.call("GET", "/api/users", { token: admin }));
    expect(list.users.map((u) => u.username)).toEqual(["admin", "alice"]);

    const aliceToken = await h.login("alice", "alice-password");
    const disabled = await h.call("PATCH", `/api/users/${String(alice.id)}`, { token: admin, body: { disabled: true } });
    expect(await json(disabled)).toMatchObject({ disabled: true });
    expect((await h.call("GET", "/api/me", { token: aliceToken })).status).toBe(401);
    expect((await h.call("POST", "/api/token", { body: { username: "alice", password: "alice-password" } })).status).toBe(401);

    await h.call("PATCH", `/api/users/${String(alice.id)}`, { token: admin, body: { disabled: false } });
    expect((await h.call("POST", "/api/token", { body: { username: "alice", password: "alice-password" } })).status).toBe(200);
  });

  it("refuses duplicates, bad input and self-disabling", async () => {
    await h.call("POST", "/api/users", { token: admin, body: { username: "bob", password: "bob-password" } });
    expect((await h.call("POST", "/api/users", { token: admin, body: { username: "bob", password: "bob-password" } })).status).toBe(409);
    const short = await h.call("POST", "/api/users", { token: admin, body: { username: "carol", password: "short" } });
    expect(short.status).toBe(400);
    expect((await json<{ error: { message: string } }>(short)).error.message).toContain("password");
    const self = h.services.users.findByUsername("admin")?.id ?? "";
    expect((await h.call("PATCH", `/api/users/${self}`, { token: admin, body: { disabled: true } })).status).toBe(409);
    expect((await h.call("PATCH", "/api/users/nobody", { token: admin, body: { disabled: true } })).status).toBe(404);
  });

  it("keeps user administration for admins", async () => {
    const user = await h.userToken("dave");
    expect((await h.call("GET", "/api/users", { token: user })).status).toBe(403);
    expect((await h.call("POST", "/api/users", { token: user, body: { username: "eve", password: "eve-password" } })).status).toBe(403);
    expect((await h.call("GET", "/api/sessions/stats", { token: user })).status).toBe(403);
    expect((await h.call("GET", "/api/konsole/hot", { token: user })).status).toBe(403);
  });

  it("shows admins konsole's process pool", async () => {
    const res = await h.call("GET", "/api/konsole/hot", { token: admin });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ poolSize: 0, processes: [] });
  });
});
