import { BlockList, isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { TrustedProxy } from "../config.ts";

const unmapped = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

/**
 * Finds who a request came from: the socket's peer, unless that peer is a trusted proxy; then
 * `X-Forwarded-For` is read from the right, skipping trusted proxies, and the first address not
 * trusted is the client. Without trusted proxies the header is ignored.
 */
export function clientAddressResolver(trusted: readonly TrustedProxy[]): (c: Context) => string {
  const isTrusted = trustedProxyCheck(trusted);
  return (c) => {
    let address = peerAddress(c);
    if (trusted.length === 0) return address;
    const hops = (c.req.header("x-forwarded-for") ?? "").split(",").map((hop) => unmapped(hop.trim())).filter(Boolean);
    while (isTrusted(address)) {
      const next = hops.pop();
      if (next === undefined || isIP(next) === 0) break;
      address = next;
    }
    return address;
  };
}

/** Whether an address is one of the trusted proxies. */
export function trustedProxyCheck(trusted: readonly TrustedProxy[]): (address: string) => boolean {
  const list = new BlockList();
  for (const proxy of trusted) list.addSubnet(proxy.address, proxy.prefix, proxy.family);
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
  };
}

/** The peer address of the socket; "local" for in-process requests. */
export function peerAddress(c: Context): string {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? unmapped(address) : "local";
  } catch {
    return "local";
  }
}
