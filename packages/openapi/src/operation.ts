import { describeRoute, resolver, type DescribeRouteOptions } from "hono-openapi";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { errorResponse, type ErrorStatus } from "./responses.ts";

type SuccessStatus = 101 | 200 | 201 | 202 | 204;

/** A JSON body's schema, another media type (a page, a script, a document), or null for no body. */
type SuccessBody = z.ZodType | "application/json" | "text/html" | "text/javascript" | "text/plain" | null;

export interface Operation {
  summary: string;
  tags: string[];
  /** Each success status with the schema of its JSON body (null: no body). */
  ok: Partial<Record<SuccessStatus, SuccessBody>>;
  /** Error statuses besides 400 (documented by `validate`) and 401 (every operation that needs a token). */
  errors?: ErrorStatus[];
  /** Needs no token. */
  public?: boolean;
  description?: string;
}

type Responses = NonNullable<DescribeRouteOptions["responses"]>;

function successResponse(body: SuccessBody): Responses[string] {
  if (body === null) return { description: "OK, no body" };
  if (typeof body === "string") return { description: "OK", content: { [body]: {} } };
  return { description: "OK", content: { "application/json": { schema: resolver(body, { options: { io: "output" } }) } } };
}

function successResponses(ok: Operation["ok"]): Responses {
  const responses: Responses = Object.fromEntries(Object.entries(ok).map(([status, body]) => [status, successResponse(body ?? null)]));
  if (responses[101]) responses[101] = { description: "Switching Protocols: the WebSocket" };
  return responses;
}

/** Describes one operation for the OpenAPI document; put it first in the route's chain. */
export function documented(operation: Operation): MiddlewareHandler {
  const errors: ErrorStatus[] = [...(operation.public ? [] : [401 as const]), ...(operation.errors ?? [])];
  const responses: Responses = successResponses(operation.ok);
  for (const status of errors) responses[status] = errorResponse(status);
  return describeRoute({
    summary: operation.summary,
    tags: operation.tags,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.public ? { security: [] } : {}),
    responses,
  });
}
