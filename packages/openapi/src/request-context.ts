import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { RequestId, RequestIdHeader } from "@kon/protocol";
import type { MiddlewareHandler } from "hono";

const requests = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the request whose work is running now (also in what it started), if any. */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

/** `X-Request-Id` for a call made on behalf of the current request (none outside one). */
export function requestIdHeaders(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { [RequestIdHeader]: requestId };
}

/**
 * Every request gets an id: a sane incoming `X-Request-Id`, else a new one. It is answered in
 * the same header and is in the log lines of everything the request runs.
 */
export function requestIds(): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header(RequestIdHeader);
    const requestId = given !== undefined && RequestId.safeParse(given).success ? given : randomUUID();
    await requests.run({ requestId }, async () => {
      await next();
    });
    c.header(RequestIdHeader, requestId);
  };
}
