import { ErrorBody, type statusOfErrorCode } from "@kon/protocol";
import type { OpenAPIV3_1 } from "openapi-types";
import { z } from "zod";

export const ERROR_BODY_REF = "#/components/schemas/ErrorBody";

export const errorBodySchema = z.toJSONSchema(ErrorBody, { target: "draft-2020-12" }) as OpenAPIV3_1.SchemaObject;

export type ErrorStatus = (typeof statusOfErrorCode)[keyof typeof statusOfErrorCode];

const errorMeaning: Record<ErrorStatus, string> = {
  400: "Bad input: the message names each field at fault",
  401: "No valid token",
  402: "Over a spending budget: the message names the budget and what was spent",
  403: "The token may not do this",
  404: "No such thing (or not yours)",
  408: "The request was not received in time",
  409: "Conflicts with the current state",
  413: "The body is too large",
  415: "The body's media type is not accepted",
  429: "Too many requests or a full queue",
  431: "The URL or headers are too large",
  500: "Internal error",
  503: "A service this one needs is unavailable",
  504: "Timed out",
};

/** The one error shape, as a documented response. */
export function errorResponse(status: ErrorStatus): OpenAPIV3_1.ResponseObject {
  return { description: errorMeaning[status], content: { "application/json": { schema: { $ref: ERROR_BODY_REF } } } };
}
