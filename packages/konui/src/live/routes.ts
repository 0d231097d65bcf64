import { upgradeWebSocket } from "@hono/node-server";
import { documented } from "@kon/openapi";
import { ApiError, DashboardClientFrame, type DashboardCloseReason, type DashboardServerFrame } from "@kon/protocol";
import { Hono } from "hono";
import { toUser } from "../auth/users.ts";
import type { Services } from "../services.ts";
import { closeFrameOf } from "./close-reasons.ts";
import { streamToken } from "./stream-token.ts";

function replyTo(raw: unknown): DashboardServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(String(raw));
  } catch {
    value = undefined;
  }
  return DashboardClientFrame.safeParse(value).success
    ? { type: "pong" }
    : { type: "error", error: { code: "bad_request", message: "Unknown frame" } };
}

/**
 * `GET /api/live` (WebSocket) for dashboard clients, authenticated with their access token. The
 * stream lives no longer than the login that opened it: expiry, logout, revocation and the user
 * being disabled close it with a code from `DashboardCloseCode`.
 */
export function liveRoutes(s: Services) {
  const log = s.logger.child({ component: "live" });
  const operation = documented({
    summary: "The live stream (WebSocket): frames are DashboardServerFrame of @kon/protocol; the token as bearer sub-protocol, header or ?access_token=",
    tags: ["live"],
    ok: { 101: null },
    errors: [400, 403],
  });
  return new Hono().get("/api/live", operation, async (c, next) => {
    const principal = await s.authenticator.principalOf(streamToken(c));
    if (principal.kind !== "user") throw new ApiError("forbidden", "Process tokens cannot open the dashboard stream");
    const { user, jti, expiresAt } = principal;
    const handler = upgradeWebSocket(() => {
      let detach: (() => void) | undefined;
      let expiry: NodeJS.Timeout | undefined;
      const end = () => {
        clearTimeout(expiry);
        detach?.();
      };
      return {
        onOpen(_event, ws) {
          const endWith = (reason: DashboardCloseReason) => {
            end();
            const { code, text } = closeFrameOf(reason);
            ws.close(code, text);
          };
          const send = (_frame: DashboardServerFrame, text: string) => ws.send(text);
          const bufferedBytes = () => (ws.raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0;
          detach = s.hub.add({ userId: user.id, jti, isAdmin: user.role === "admin", send, bufferedBytes, end: endWith });
          expiry = setTimeout(() => endWith("token_expired"), Math.max(0, expiresAt - s.now()));
          // Access may have ended between the token check and the upgrade.
          if (s.users.findById(user.id)?.disabled !== false) return endWith("user_disabled");
          if (!s.accessTokens.isLive(jti)) return endWith("token_revoked");
          ws.send(JSON.stringify({ type: "hello", user: toUser(user) } satisfies DashboardServerFrame));
        },
        onMessage(event, ws) {
          ws.send(JSON.stringify(replyTo(event.data)));
        },
        onClose() {
          end();
        },
        onError(event) {
          log.debug({ userId: user.id, event: String(event.type) }, "dashboard socket error");
          end();
        },
      };
    });
    const response = await handler(c, next);
    if (!response) throw new ApiError("bad_request", "Expected a WebSocket upgrade");
    return response;
  });
}
