import { validateBody } from "@kon/openapi";
import { ApiError, SendMessageRequest } from "@kon/protocol";
import type { Context, Env } from "hono";
import { z } from "zod";
import { isMultipart, parseWith, readJson } from "../http/body.ts";
import type { SendInput } from "./turn-sender.ts";

/** The multipart form of a send, for the document: the JSON fields as text fields, plus files. */
const MultipartSend = SendMessageRequest.extend({
  files: z.array(z.file()).max(3).optional().describe("up to 3 files: JPEG/PNG/GIF/WebP images, text, CSV or JSON; 5 MB each"),
});

/** A send as JSON `{ text, kind }` or multipart with the same fields plus files under any name. */
async function readSendInput(c: Context): Promise<SendInput> {
  if (!isMultipart(c.req.header("content-type"))) {
    return { ...(await readJson(c, SendMessageRequest, "message")), files: [] };
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new ApiError("bad_request", "Malformed multipart body");
  }
  const files: File[] = [];
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item instanceof File) files.push(item);
      else if (typeof item === "string" && !(key in fields)) fields[key] = item;
    }
  }
  return { ...parseWith(SendMessageRequest, fields, "message"), files };
}

/** Validates a send in the route chain; the handler reads it with `c.req.valid("form")`. */
export function sendInput<E extends Env, P extends string>() {
  return validateBody<SendInput, E, P>(readSendInput, { "application/json": SendMessageRequest, "multipart/form-data": MultipartSend });
}
