// One fast-check arbitrary of requests per documented operation: path parameters (known ids or
// generated), queries and bodies that the operation's schemas accept, and bodies they refuse.

import fc from "fast-check";
import type { OpenAPIV3_1 } from "@kon/openapi";
import { invalidObject, notAnObject, validValue, type JsonSchema } from "./schema-arbitraries.ts";

export type FuzzBody = { kind: "none" } | { kind: "json"; value: unknown } | { kind: "raw"; text: string; contentType: string };

export interface FuzzRequest {
  path: string;
  query: Record<string, string>;
  body: FuzzBody;
  /** The body is one the schema refuses, so the answer must be a 4xx. */
  refusable: boolean;
}

type Components = Record<string, JsonSchema>;

function parametersOf(operation: OpenAPIV3_1.OperationObject, where: "path" | "query"): OpenAPIV3_1.ParameterObject[] {
  return (operation.parameters ?? []).filter((p): p is OpenAPIV3_1.ParameterObject => !("$ref" in p) && p.in === where);
}

const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

function pathArbitrary(template: string, operation: OpenAPIV3_1.OperationObject, known: (param: string) => string[], components: Components) {
  const params = parametersOf(operation, "path");
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const param of params) {
    const ids = known(param.name);
    // An empty segment is another path (another route, or none), not a value of this parameter.
    const generated = validValue((param.schema ?? {}) as JsonSchema, components)
      .map(asText)
      .filter((value) => value !== "");
    model[param.name] = fc.oneof(
      { weight: 3, arbitrary: ids.length > 0 ? fc.constantFrom(...ids) : generated },
      { weight: 1, arbitrary: generated },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30, unit: "binary" }) },
    );
  }
  return fc.record(model).map((values) => template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? "x")));
}

function queryArbitrary(operation: OpenAPIV3_1.OperationObject, components: Components): fc.Arbitrary<Record<string, string>> {
  const params = parametersOf(operation, "query");
  if (params.length === 0) return fc.constant({});
  const valid = Object.fromEntries(params.map((p) => [p.name, validValue((p.schema ?? {}) as JsonSchema, components).map(asText)]));
  const garbage = Object.fromEntries(params.map((p) => [p.name, fc.string({ maxLength: 12, unit: "binary" })]));
  return fc.oneof(fc.record(valid, { requiredKeys: [] }), fc.record(garbage, { requiredKeys: [] })) as fc.Arbitrary<Record<string, string>>;
}

function jsonSchemaOfBody(operation: OpenAPIV3_1.OperationObject): JsonSchema | undefined {
  const body = operation.requestBody;
  if (!body || "$ref" in body) return undefined;
  return body.content?.["application/json"]?.schema as JsonSchema | undefined;
}

const malformed = fc.constantFrom("{", '{"a":', "[1,", "nul", '{"text": "unterminated}');

/** Bodies the schema refuses whatever they hold: not JSON, not declared JSON, not an object, or a field wrong. */
function refusedBody(schema: JsonSchema, components: Components): fc.Arbitrary<FuzzBody> {
  const wrongFields = invalidObject(schema, components);
  return fc.oneof(
    malformed.map((text): FuzzBody => ({ kind: "raw", text, contentType: "application/json" })),
    fc.jsonValue({ maxDepth: 1 }).map((value): FuzzBody => ({ kind: "raw", text: JSON.stringify({ v: value }), contentType: "text/plain" })),
    notAnObject.map((value): FuzzBody => ({ kind: "json", value })),
    ...(wrongFields ? [wrongFields.map((value): FuzzBody => ({ kind: "json", value }))] : []),
  );
}

/**
 * Requests for one operation. With `refusedOnly`, every body is one the schema refuses (for
 * operations whose accepted requests would start Claude turns or warm processes).
 */
export function requestsFor(
  template: string,
  operation: OpenAPIV3_1.OperationObject,
  components: Components,
  known: (param: string) => string[],
  refusedOnly: boolean,
): fc.Arbitrary<FuzzRequest> {
  const path = pathArbitrary(template, operation, known, components);
  const query = queryArbitrary(operation, components);
  const schema = jsonSchemaOfBody(operation);
  if (!schema) return fc.record({ path, query, body: fc.constant<FuzzBody>({ kind: "none" }), refusable: fc.constant(false) });
  const refused = refusedBody(schema, components).map((body) => ({ body, refusable: true }));
  const accepted = validValue(schema, components).map((value) => ({ body: { kind: "json", value } as FuzzBody, refusable: false }));
  const body = refusedOnly ? refused : fc.oneof(accepted, refused);
  return fc.record({ path, query, body }).map(({ path, query, body }) => ({ path, query, ...body }));
}
