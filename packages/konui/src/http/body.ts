import { ApiError, validationError } from "@kon/protocol";
import type { Context } from "hono";
import type { z } from "zod";

function isJson(contentType: string | undefined): boolean {
  return /^application\/([\w.+-]+\+)?json\b/i.test(contentType ?? "");
}

export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\b/i.test(contentType ?? "");
}

function isForm(contentType: string | undefined): boolean {
  return isMultipart(contentType) || /^application\/x-www-form-urlencoded\b/i.test(contentType ?? "");
}

async function jsonValue(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  if (!isJson(c.req.header("content-type"))) {
    throw new ApiError("unsupported_media_type", "Expected a JSON body (Content-Type: application/json)");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Malformed JSON body");
  }
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, what);
  return parsed.data;
}

/** A JSON body parsed with `schema`; an empty body counts as `{}`. Bad JSON or a wrong type → 400. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T, what: string): Promise<z.output<T>> {
  return parseWith(schema, await jsonValue(c), what);
}

/** JSON, or url-encoded / multipart form fields (text fields only). */
export async function readJsonOrForm<T extends z.ZodType>(c: Context, schema: T, what: string): Promise<z.output<T>> {
  if (!isForm(c.req.header("content-type"))) return readJson(c, schema, what);
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new ApiError("bad_request", "Malformed form body");
  }
  const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === "string"));
  return parseWith(schema, fields, what);
}

export function readQuery<T extends z.ZodType>(c: Context, schema: T, what: string): z.output<T> {
  return parseWith(schema, c.req.query(), what);
}
