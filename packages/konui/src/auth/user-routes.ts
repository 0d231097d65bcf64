import { CreateUserRequest, UpdateUserRequest, type SessionStats, type Whoami } from "@kon/protocol";
import { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";
import { readJson } from "../http/body.ts";
import type { Services } from "../services.ts";
import { requireAdmin, requireLogin } from "./guard.ts";
import { changeUser } from "./user-changes.ts";
import { toUser } from "./users.ts";

/** Who am I, logout, user administration and token stats (under an authenticated /api). */
export function userRoutes(s: Services) {
  return new Hono<AppEnv>()
    .get("/me", (c) => {
      const principal = c.get("principal");
      const body: Whoami =
        principal.kind === "user"
          ? { kind: "user", user: toUser(principal.user) }
          : { kind: "process", ...principal.grant };
      return c.json(body, 200);
    })
    .post("/logout", (c) => {
      s.accessTokens.revoke(requireLogin(c).jti);
      return c.body(null, 204);
    })
    .get("/users", (c) => {
      requireAdmin(c);
      return c.json({ users: s.users.list() }, 200);
    })
    .post("/users", async (c) => {
      requireAdmin(c);
      const input = await readJson(c, CreateUserRequest, "user");
      return c.json(await s.users.create(input), 201);
    })
    .patch("/users/:id", async (c) => {
      const admin = requireAdmin(c);
      const change = await readJson(c, UpdateUserRequest, "user change");
      const { jti } = requireLogin(c);
      return c.json(await changeUser(s, c.req.param("id"), change, { userId: admin.id, jti }), 200);
    })
    .get("/sessions/stats", (c) => {
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
