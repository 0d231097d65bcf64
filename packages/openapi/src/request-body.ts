import { ApiError } from "@kon/protocol";
import type { Context } from "hono";

/** Which bodies a route takes: JSON alone, or JSON and url-encoded / multipart text fields. */
export type BodyKind = "json" | "json-or-form";

const isJson = (type: string): boolean => /^application\/([\w.+-]+\+)?json\b/i.test(type);
const isForm = (type: string): boolean => /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type);

async function jsonValue(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  if (!isJson(c.req.header("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", "Expected a JSON body (Content-Type: application/json)");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Malformed JSON body");
  }
}

async function formFields(c: Context): Promise<Record<string, unknown>> {
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new ApiError("bad_request", "Malformed form body");
  }
  return Object.fromEntries(Object.entries(form).filter(([, value]) => typeof value === "string"));
}

/** The request body as a value to validate; an empty body counts as `{}`. Bad JSON → 400, another media type → 415. */
export function readBody(c: Context, kind: BodyKind): Promise<unknown> {
  if (kind === "json-or-form" && isForm(c.req.header("content-type") ?? "")) return formFields(c);
  return jsonValue(c);
}
