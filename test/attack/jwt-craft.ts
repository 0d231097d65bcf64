// JWTs made by hand (node:crypto, not jose), so the suite does not share a library with what it attacks.

import { createHmac } from "node:crypto";

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export type Claims = Record<string, unknown>;

/** A compact JWS: `alg` HS256/HS384/HS512 signed with `secret`, `none` with an empty signature. */
export function craftJwt(alg: "HS256" | "HS384" | "HS512" | "none", claims: Claims, secret: Uint8Array | string = ""): string {
  const signingInput = `${part({ alg, typ: "JWT" })}.${part(claims)}`;
  if (alg === "none") return `${signingInput}.`;
  const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
  return `${signingInput}.${createHmac(hash, secret).update(signingInput).digest("base64url")}`;
}

export function claimsOf(token: string): Claims {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Claims;
}

/** The same token with `change` applied to its claims and its original header and signature kept. */
export function tamperClaims(token: string, change: Claims): string {
  const [header, , signature] = token.split(".");
  return `${header}.${part({ ...claimsOf(token), ...change })}.${signature}`;
}

/** The same token re-headed as `alg: none`, signature dropped or kept. */
export function reheadAsNone(token: string, keepSignature: boolean): string {
  const [, payload, signature] = token.split(".");
  return `${part({ alg: "none", typ: "JWT" })}.${payload}.${keepSignature ? signature : ""}`;
}
