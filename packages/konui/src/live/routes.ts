import { upgradeWebSocket } from "@hono/node-server";
import { ApiError, DashboardClientFrame, type DashboardServerFrame } from "@kon/protocol";
import { Hono } from "hono";
import { bearerToken } from "../auth/guard.ts";
import { toUser } from "../auth/users.ts";
import type { Services } from "../services.ts";

/**
 * `GET /api/live` (WebSocket): dashboard clients authenticate with their access token, as
 * `Authorization: Bearer` or `?access_token=` (browsers cannot set headers on a WebSocket).
 */
export function liveRoutes(s: Services) {
  const log = s.logger.child({ component: "live" });
  return new Hono().get("/api/live", async (c, next) => {
    const token = bearerToken(c.req.header("authorization")) ?? c.req.query("access_token");
    const principal = await s.authenticator.principalOf(token);
    if (principal.kind !== "user") throw new ApiError("forbidden", "Process tokens cannot open the dashboard stream");
    const user = principal.user;
    const handler = upgradeWebSocket(() => {
      let detach: (() => void) | undefined;
      let expiry: NodeJS.Timeout | undefined;
      const end = () => {
        clearTimeout(expiry);
        detach?.();
      };
      return {
        onOpen(_event, ws) {
          // The stream lives no longer than the token that opened it.
          expiry = setTimeout(() => ws.close(4001, "access token expired"), Math.max(0, principal.expiresAt - s.now()));
          const send = (frame: DashboardServerFrame) => ws.send(JSON.stringify(frame));
          detach = s.hub.add({ userId: user.id, isAdmin: user.role === "admin", send });
          send({ type: "hello", user: toUser(user) });
        },
        onMessage(event, ws) {
          let value: unknown;
          try {
            value = JSON.parse(String(event.data));
          } catch {
            value = undefined;
          }
          const frame = DashboardClientFrame.safeParse(value);
          const reply: DashboardServerFrame = frame.success
            ? { type: "pong" }
            : { type: "error", error: { code: "bad_request", message: "Unknown frame" } };
          ws.send(JSON.stringify(reply));
        },
        onClose() {
          end();
        },
        onError(event) {
          log.debug({ event: String(event.type) }, "dashboard socket error");
          end();
        },
      };
    });
    const response = await handler(c, next);
    if (!response) throw new ApiError("bad_request", "Expected a WebSocket upgrade");
    return response;
  });
}
