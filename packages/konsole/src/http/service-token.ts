import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError } from "@kon/protocol";
import type { MiddlewareHandler } from "hono";

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/** Compares in constant time (over fixed-length digests, so the length leaks nothing either). */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match?.[1]?.trim();
}

/** Every route behind it needs `Authorization: Bearer <service token>`. */
export function requireServiceToken(serviceToken: string): MiddlewareHandler {
  return async (c, next) => {
    const given = bearerToken(c.req.header("authorization"));
    if (given === undefined) throw new ApiError("unauthorized", "Missing service token: send Authorization: Bearer <token>");
    if (!tokensMatch(given, serviceToken)) throw new ApiError("unauthorized", "Invalid service token");
    await next();
  };
}
