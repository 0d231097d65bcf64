import type { Context } from "hono";
import type { TrustedProxy } from "../config.ts";
import { peerAddress, trustedProxyCheck } from "./client-address.ts";

export interface RequestOrigin {
  /** scheme://host[:port] as the browser addressed it. */
  origin: string;
  https: boolean;
}

const first = (header: string | undefined): string | undefined => header?.split(",")[0]?.trim() || undefined;

/**
 * Where a request was addressed: its own URL, or, when the socket's peer is a trusted proxy,
 * the scheme and host that proxy forwards (`X-Forwarded-Proto`, `X-Forwarded-Host`).
 */
export function requestOriginResolver(trusted: readonly TrustedProxy[]): (c: Context) => RequestOrigin {
  const isTrusted = trustedProxyCheck(trusted);
  return (c) => {
    const url = new URL(c.req.url);
    let protocol = url.protocol.replace(/:$/, "");
    let host = url.host;
    if (trusted.length > 0 && isTrusted(peerAddress(c))) {
      const forwardedProto = first(c.req.header("x-forwarded-proto"));
      const forwardedHost = first(c.req.header("x-forwarded-host"));
      if (forwardedProto === "http" || forwardedProto === "https") protocol = forwardedProto;
      if (forwardedHost) host = forwardedHost;
    }
    return { origin: `${protocol}://${host}`, https: protocol === "https" };
  };
}
