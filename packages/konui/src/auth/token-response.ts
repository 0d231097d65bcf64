import type { TokenResponse } from "@kon/protocol";
import type { Context } from "hono";

/** A token answer (or an error about credentials) must never be kept by a cache on the way. */
export function noStore(c: Context): void {
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
}

export const tokenResponse = (issued: { token: string; expiresInSec: number }): TokenResponse => ({
  access_token: issued.token,
  token_type: "bearer",
  expires_in: issued.expiresInSec,
});
