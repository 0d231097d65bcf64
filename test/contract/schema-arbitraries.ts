// fast-check arbitraries from the JSON Schemas of an OpenAPI document: values a schema accepts,
// and values it certainly refuses. Lengths and sizes are capped to keep runs quick.

import fc from "fast-check";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
};

type Components = Record<string, JsonSchema>;

const CAP = { string: 40, items: 3, int: 1_000_000 };

function resolve(schema: JsonSchema, components: Components): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split("/").pop() ?? "";
  const target = components[name];
  if (!target) throw new Error(`unknown $ref ${schema.$ref}`);
  return resolve(target, components);
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === "date") return fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === "date-time") return fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === "uuid") return fc.uuid({ version: 4 });
  if (schema.format === "email") return fc.emailAddress();
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? CAP.string, CAP.string));
  if (schema.pattern) {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
  }
  return fc.string({ minLength, maxLength, unit: "grapheme" });
}

function validNumber(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : -CAP.int);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : CAP.int);
  const lo = Math.max(min, -CAP.int);
  const hi = Math.min(max, CAP.int);
  return integer ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

function validObject(schema: JsonSchema, components: Components): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, validValue(value, components)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) }) as fc.Arbitrary<Record<string, unknown>>;
}

function validOfType(type: string, schema: JsonSchema, components: Components): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return validString(schema);
    case "integer":
      return validNumber(schema, true);
    case "number":
      return validNumber(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(schema.items ? validValue(schema.items, components) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? CAP.items, CAP.items)),
      });
    case "object":
      return validObject(schema, components);
    default:
      throw new Error(`no generator for type ${type}`);
  }
}

/** Values `schema` accepts. */
export function validValue(raw: JsonSchema, components: Components): fc.Arbitrary<unknown> {
  const schema = resolve(raw, components);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alt) => validValue(alt, components)));
  if (schema.allOf?.length === 1 && schema.allOf[0]) return validValue(schema.allOf[0], components);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => validOfType(type, schema, components)));
  if (schema.type) return validOfType(schema.type, schema, components);
  if (schema.properties) return validObject(schema, components);
  return fc.jsonValue({ maxDepth: 2 });
}

/** A JSON value of none of the types `schema` allows. */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> {
  const allowed = new Set(Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);
  if (allowed.has("integer")) allowed.add("number");
  const candidates: [string, fc.Arbitrary<unknown>][] = [
    ["string", fc.string({ maxLength: 8 })],
    ["number", fc.double({ noNaN: true, noDefaultInfinity: true })],
    ["boolean", fc.boolean()],
    ["null", fc.constant(null)],
    ["array", fc.array(fc.integer(), { maxLength: 2 })],
    ["object", fc.constant({ unexpected: true })],
  ];
  const wrong = candidates.filter(([type]) => !allowed.has(type)).map(([, arbitrary]) => arbitrary);
  return fc.oneof(...wrong);
}

/**
 * Objects `schema` (an object with properties) certainly refuses: a required property left out,
 * or a property of a plain type given a value of another type.
 */
export function invalidObject(raw: JsonSchema, components: Components): fc.Arbitrary<unknown> | undefined {
  const schema = resolve(raw, components);
  const properties = Object.entries(schema.properties ?? {}).map(([key, value]) => [key, resolve(value, components)] as const);
  const typed = properties.filter(([, value]) => value.type !== undefined && !value.anyOf && !value.oneOf && value.enum === undefined);
  const required = schema.required ?? [];
  const options: fc.Arbitrary<unknown>[] = [];
  if (required.length > 0) {
    options.push(fc.tuple(validObject(schema, components), fc.constantFrom(...required)).map(([value, key]) => {
      const copy = { ...value };
      delete copy[key];
      return copy;
    }));
  }
  if (typed.length > 0) {
    options.push(
      fc
        .constantFrom(...typed)
        .chain(([key, value]) => fc.tuple(validObject(schema, components), fc.constant(key), wrongType(value)))
        .map(([value, key, wrong]) => ({ ...value, [key]: wrong })),
    );
  }
  const enums = properties.filter(([, value]) => value.enum !== undefined);
  if (enums.length > 0) {
    options.push(
      fc
        .tuple(validObject(schema, components), fc.constantFrom(...enums.map(([key]) => key)))
        .map(([value, key]) => ({ ...value, [key]: "not-one-of-the-values" })),
    );
  }
  return options.length > 0 ? fc.oneof(...options) : undefined;
}

/** JSON that is not an object at all. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.boolean(),
);
