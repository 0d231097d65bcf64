import { DASHBOARD_BEARER_PROTOCOL } from "@kon/protocol";
import type { Context } from "hono";
import { bearerToken } from "../auth/guard.ts";

function fromSubProtocols(header: string | undefined): string | undefined {
  const offered = (header ?? "").split(",").map((p) => p.trim());
  const at = offered.indexOf(DASHBOARD_BEARER_PROTOCOL);
  return at >= 0 ? offered[at + 1] || undefined : undefined;
}

/**
 * The access token of a dashboard stream: the Authorization header, else the `bearer`
 * sub-protocol (`new WebSocket(url, ["bearer", token])`), else `?access_token=` as a last resort
 * for clients that can do neither. Never log the request URL: it may hold the token.
 */
export function streamToken(c: Context): string | undefined {
  return (
    bearerToken(c.req.header("authorization")) ??
    fromSubProtocols(c.req.header("sec-websocket-protocol")) ??
    c.req.query("access_token")
  );
}

/** The sub-protocol the server answers with: `bearer` when offered, never the token itself. */
export function selectSubProtocol(offered: Set<string>): string | false {
  return offered.has(DASHBOARD_BEARER_PROTOCOL) ? DASHBOARD_BEARER_PROTOCOL : false;
}
