import { ApiError } from "@kon/protocol";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isMultipart } from "./body.ts";

export interface BodyLimits {
  /** Multipart bodies (attachments). */
  maxUploadBytes: number;
  /** Every other body (JSON, url-encoded forms). */
  maxJsonBytes: number;
}

function limit(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError("payload_too_large", `Request body is larger than ${maxSize} bytes`);
    },
  });
}

/** Refuses an oversized body with 413 while it streams in, before any route reads it. */
export function limitBodies(limits: BodyLimits): MiddlewareHandler {
  const upload = limit(limits.maxUploadBytes);
  const json = limit(limits.maxJsonBytes);
  return (c, next) => (isMultipart(c.req.header("content-type")) ? upload(c, next) : json(c, next));
}
