// What an app registers and what its OpenAPI document describes, as comparable "METHOD /path/{param}" keys.

import type { OpenAPIV3_1 } from "@kon/openapi";

export type OpenApiDocument = OpenAPIV3_1.Document;

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
export type Method = (typeof METHODS)[number];

export interface DocumentedOperation {
  method: Method;
  /** The path template, e.g. `/api/kontasks/{id}`. */
  path: string;
  operation: OpenAPIV3_1.OperationObject;
}

/** Hono's `/api/kontasks/:id` as OpenAPI's `/api/kontasks/{id}`. */
export function templateOf(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "{$1}");
}

export const keyOf = (method: string, template: string): string => `${method.toUpperCase()} ${template}`;

/** Every route with a method and a path of its own (middleware is registered as ALL). */
export function registeredOperations(routes: readonly { method: string; path: string }[]): string[] {
  return [...new Set(routes.filter((route) => route.method !== "ALL").map((route) => keyOf(route.method, templateOf(route.path))))];
}

export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  const found: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (operation) found.push({ method, path, operation });
    }
  }
  return found;
}

/** Does `path` (with its parameters filled in) fit `template`? A `$VAR` segment fits any `{param}`. */
export function fitsTemplate(template: string, path: string): boolean {
  const want = template.split("/");
  const got = path.split("/");
  return want.length === got.length && want.every((segment, i) => segment === got[i] || (segment.startsWith("{") && got[i] !== ""));
}
