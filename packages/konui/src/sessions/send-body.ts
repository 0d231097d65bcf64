import { ApiError, SendMessageRequest } from "@kon/protocol";
import type { Context } from "hono";
import { isMultipart, parseWith, readJson } from "../http/body.ts";
import type { SendInput } from "./turn-sender.ts";

/** A send as JSON `{ text, kind }` or multipart with the same fields plus files under any name. */
export async function readSendInput(c: Context): Promise<SendInput> {
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
