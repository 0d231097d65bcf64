import { documented, validate } from "@kon/openapi";
import { CreateUserRequest, SessionStats, UpdateUserRequest, User, UserList, Whoami } from "@kon/protocol";
import { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { requireAdmin, requireLogin } from "./guard.ts";
import { changeUser } from "./user-changes.ts";
import { toUser } from "./users.ts";

/** Who am I, logout, user administration and token stats (under an authenticated /api). */
export function userRoutes(s: Services) {
  const tags = ["users"];
  return new Hono<AppEnv>()
    .get("/me", documented({ summary: "Who holds this token (a user or a Claude process)", tags, ok: { 200: Whoami } }), (c) => {
      const principal = c.get("principal");
      const body: Whoami =
        principal.kind === "user"
          ? { kind: "user", user: toUser(principal.user) }
          : { kind: "process", ...principal.grant };
      return c.json(body, 200);
    })
    .post("/logout", documented({ summary: "Revoke this access token", tags: ["login"], ok: { 204: null }, errors: [403] }), (c) => {
      s.accessTokens.revoke(requireLogin(c).jti);
      return c.body(null, 204);
    })
    .get("/users", documented({ summary: "List users (admin)", tags, ok: { 200: UserList }, errors: [403] }), (c) => {
      requireAdmin(c);
      return c.json({ users: s.users.list() }, 200);
    })
    .post(
      "/users",
      documented({ summary: "Create a user (admin)", tags, ok: { 201: User }, errors: [403, 409, 413, 415] }),
      validate("json", CreateUserRequest, "user"),
      async (c) => {
        requireAdmin(c);
        return c.json(await s.users.create(c.req.valid("json")), 201);
      },
    )
    .patch(
      "/users/:id",
      documented({
        summary: "Change a user's role, password or disabled state (admin); ends their logins as the README says",
        tags,
        ok: { 200: User },
        errors: [403, 404, 409, 413, 415],
      }),
      validate("json", UpdateUserRequest, "user change"),
      async (c) => {
        const admin = requireAdmin(c);
        const change = c.req.valid("json");
        const { jti } = requireLogin(c);
        return c.json(await changeUser(s, c.req.param("id"), change, { userId: admin.id, jti }), 200);
      },
    )
    .get("/sessions/stats", documented({ summary: "Live Claude and human sessions (admin)", tags, ok: { 200: SessionStats }, errors: [403] }), (c) => {
      requireAdmin(c);
      const claudeSessions = s.processTokens.countLive();
      const humanSessions = s.accessTokens.countLive();
      const body: SessionStats = {
        claudeSessions,
        poolTokens: s.processTokens.countPooled(),
        humanSessions,
        summary: `Claude sessions ${claudeSessions} / Human sessions ${humanSessions}`,
      };
      return c.json(body, 200);
    });
}
