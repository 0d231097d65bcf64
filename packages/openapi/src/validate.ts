import { validationError } from "@kon/protocol";
import type { Context, Env, MiddlewareHandler } from "hono";
import { resolver, uniqueSymbol } from "hono-openapi";
import type { z } from "zod";
import { readBody, type BodyKind } from "./request-body.ts";
import { errorResponse } from "./responses.ts";

type Target = "json" | "query" | "param";

type TextFields<S extends z.ZodType> = { [K in keyof z.input<S>]: string };

/** What `c.req.valid(target)` gives a handler, and what hono/client sends. */
export type Validated<T extends Target, S extends z.ZodType> = {
  in: { [K in T]: K extends "json" ? z.input<S> : K extends "query" ? Partial<TextFields<S>> : TextFields<S> };
  out: { [K in T]: z.output<S> };
};

const mediaTypes: Record<BodyKind, string[]> = {
  json: ["application/json"],
  "json-or-form": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
};

/** The request's schema for the OpenAPI document, as hono-openapi reads it from a middleware. */
function documentation(target: Target, schema: z.ZodType, body: BodyKind) {
  const input = resolver(schema, { options: { io: "input" } });
  if (target !== "json") return { target, ...input };
  const content = Object.fromEntries(mediaTypes[body].map((media) => [media, { schema: input }]));
  // Every body can be refused before it is read: too large, or not a media type it takes.
  return { spec: { requestBody: { required: true, content }, responses: { 400: errorResponse(400), 413: errorResponse(413), 415: errorResponse(415) } } };
}

function valueOf(c: Parameters<MiddlewareHandler>[0], target: Target, body: BodyKind): Promise<unknown> | unknown {
  if (target === "json") return readBody(c, body);
  return target === "query" ? c.req.query() : c.req.param();
}

/**
 * Validates one part of the request with a schema from @kon/protocol before the handler runs
 * (which reads it with `c.req.valid(target)`), and documents it in the OpenAPI document.
 * A failure is the one 400 ErrorBody naming each field at fault.
 */
export function validate<T extends Target, S extends z.ZodType, E extends Env = Env, P extends string = string>(
  target: T,
  schema: S,
  what: string,
  body: BodyKind = "json",
): MiddlewareHandler<E, P, Validated<T, S>> {
  const middleware: MiddlewareHandler<E, P, Validated<T, S>> = async (c, next) => {
    const parsed = schema.safeParse(await valueOf(c, target, body));
    if (!parsed.success) throw validationError(parsed.error, what);
    c.req.addValidatedData(target, parsed.data as object);
    await next();
  };
  return Object.assign(middleware, { [uniqueSymbol]: documentation(target, schema, body) });
}

/**
 * For a body one schema cannot read (files beside fields): `read` parses and checks it, throwing
 * the 400 ErrorBody itself; `content` documents each media type it takes. The handler reads the
 * result with `c.req.valid("form")`.
 */
export function validateBody<T extends object, E extends Env = Env, P extends string = string>(
  read: (c: Context<E, P>) => Promise<T>,
  content: Record<string, z.ZodType>,
): MiddlewareHandler<E, P, { in: { form: Record<string, string | File> }; out: { form: T } }> {
  const middleware: MiddlewareHandler<E, P, { in: { form: Record<string, string | File> }; out: { form: T } }> = async (c, next) => {
    c.req.addValidatedData("form", await read(c));
    await next();
  };
  const documented = Object.fromEntries(
    Object.entries(content).map(([media, schema]) => [media, { schema: resolver(schema, { options: { io: "input" } }) }]),
  );
  return Object.assign(middleware, {
    [uniqueSymbol]: { spec: { requestBody: { required: true, content: documented }, responses: { 400: errorResponse(400) } } },
  });
}
