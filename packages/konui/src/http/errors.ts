import { ApiError, type ErrorBody, type ErrorCode } from "@kon/protocol";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "../logger.ts";

const codeOfStatus: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

function send(c: Context, status: number, body: ErrorBody): Response {
  return c.json(body, status as ContentfulStatusCode);
}

/** The one error mapping: ApiError → its status; anything unexpected → 500 with no detail. */
export function errorHandler(logger: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) return send(c, err.status, err.toBody());
    if (err instanceof HTTPException) {
      const code = codeOfStatus[err.status] ?? "bad_request";
      return send(c, err.status, { error: { code, message: err.message || code.replaceAll("_", " ") } });
    }
    logger.error({ err, method: c.req.method, path: c.req.path }, "unhandled error");
    return send(c, 500, { error: { code: "internal", message: "Internal error" } });
  };
}

export const notFoundHandler: NotFoundHandler = (c) =>
  c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}` } } satisfies ErrorBody, 404);
