import type { ErrorBody, ErrorCode } from "@kon/protocol";

export interface FieldProblem {
  path: string;
  message: string;
}

/** A request that did not succeed, with a sentence a person understands. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: ErrorCode | "network";
  readonly fields: FieldProblem[];
  /** The error body's `details` as sent (a 409 on a decision carries the decision). */
  readonly details: unknown;

  constructor(status: number, code: ErrorCode | "network", message: string, fields: FieldProblem[] = [], details?: unknown) {
    super(message);
    this.name = "ApiFailure";
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

function fieldsOf(details: unknown): FieldProblem[] {
  if (typeof details !== "object" || details === null || !("fields" in details)) return [];
  const fields = (details as { fields: unknown }).fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter(
    (f): f is FieldProblem => typeof f === "object" && f !== null && typeof f.path === "string" && typeof f.message === "string",
  );
}

const FALLBACK_BY_STATUS: Record<number, string> = {
  401: "Your login has ended. Log in again.",
  403: "You are not allowed to do this.",
  404: "Not found. It may have been deleted.",
  413: "That is too large for the server.",
  429: "Too many requests. Wait a moment and try again.",
  502: "konui cannot reach konsole right now. Try again in a moment.",
  503: "The service is unavailable right now. Try again in a moment.",
  504: "The server took too long to answer. Try again.",
};

/** Builds the failure from a response that was not ok, using the server's ErrorBody when there is one. */
export function failureFromResponse(status: number, body: unknown): ApiFailure {
  if (isErrorBody(body)) return new ApiFailure(status, body.error.code, body.error.message, fieldsOf(body.error.details), body.error.details);
  const message = FALLBACK_BY_STATUS[status] ?? `The server answered with an unexpected error (HTTP ${status}).`;
  return new ApiFailure(status, status >= 500 ? "internal" : "bad_request", message);
}

/** How long a request may go unanswered before the page says so instead of waiting forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

export const networkFailure = (error?: unknown): ApiFailure =>
  error instanceof DOMException && error.name === "TimeoutError"
    ? new ApiFailure(0, "network", "konui did not answer in time. Try again in a moment.")
    : new ApiFailure(0, "network", "konui cannot be reached. Check your connection and try again.");

export function messageOf(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
