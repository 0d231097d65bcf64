import type { Env, Hono, Schema } from "hono";
import { generateSpecs } from "hono-openapi";
import type { OpenAPIV3_1 } from "openapi-types";
import { errorBodySchema, errorResponse } from "./responses.ts";

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
  /** What the bearer token is and where it comes from. */
  tokenDescription: string;
}

let generating: Promise<unknown> = Promise.resolve();

/**
 * The OpenAPI 3.1 document of every route of `app` that `documented` or `validate` describes.
 * hono-openapi keeps some state in its module while it walks an app, so walks run one at a time.
 */
export function openApiDocument<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
  info: ApiInfo,
): Promise<OpenAPIV3_1.Document> {
  const walk = generating.then(() =>
    generateSpecs(app, {
      documentation: {
        info: { title: info.title, version: info.version, description: info.description },
        components: {
          schemas: { ErrorBody: errorBodySchema },
          securitySchemes: { bearer: { type: "http", scheme: "bearer", description: info.tokenDescription } },
        },
        security: [{ bearer: [] }],
      },
      excludeStaticFile: false,
      defaultValidationErrorResponse: errorResponse(400),
    }),
  );
  generating = walk.catch(() => undefined);
  return walk as Promise<OpenAPIV3_1.Document>;
}
