import { z } from "zod";

export const ErrorCode = z.enum([
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "headers_too_large",
  "request_timeout",
  "unsupported_media_type",
  "rate_limited",
  "queue_full",
  "internal",
  "unavailable",
  "timeout",
  "budget_exceeded",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The one error body every route of both services answers with. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const statusOfErrorCode = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  headers_too_large: 431,
  request_timeout: 408,
  unsupported_media_type: 415,
  rate_limited: 429,
  queue_full: 429,
  internal: 500,
  unavailable: 503,
  timeout: 504,
  budget_exceeded: 402,
} as const satisfies Record<ErrorCode, number>;

/** Thrown anywhere in a service; the one `onError` turns it into `ErrorBody` with its status. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
  }

  get status(): (typeof statusOfErrorCode)[ErrorCode] {
    return statusOfErrorCode[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/** Turns a failed zod parse into a 400 that names the fields at fault. */
export function validationError(error: z.ZodError, what = "request"): ApiError {
  const fields = error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
  return new ApiError("bad_request", `Invalid ${what}: ${summary}`, { fields });
}

/** What kind of credentials konsole's Claude processes will use (never the secret itself). */
export const ClaudeCredentials = z.enum(["api_key", "base_url", "bedrock", "vertex", "cli_login", "none"]);
export type ClaudeCredentials = z.infer<typeof ClaudeCredentials>;

export const Health = z.object({
  status: z.literal("ok"),
  service: z.enum(["konsole", "konui"]),
  version: z.string(),
  uptimeSec: z.number().nonnegative(),
  /** konsole only. */
  credentials: ClaudeCredentials.optional(),
});
export type Health = z.infer<typeof Health>;
