import { readBody } from "@kon/openapi";
import { validationError } from "@kon/protocol";
import type { Context } from "hono";
import type { z } from "zod";

export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\b/i.test(contentType ?? "");
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, what);
  return parsed.data;
}

/** A JSON body parsed with `schema`; an empty body counts as `{}`. Bad JSON or a wrong type → 400. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T, what: string): Promise<z.output<T>> {
  return parseWith(schema, await readBody(c, "json"), what);
}
