import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContractStack, type ContractStack } from "./contract-stack.ts";
import { documentedOperations, fitsTemplate, keyOf, registeredOperations, type OpenApiDocument } from "./operations.ts";
import { curlExamples } from "./readme-curls.ts";

// Every route either service registers is in the OpenAPI document it serves, every documented
// operation is a registered route, and every curl example of the READMEs is a documented operation.

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Registered routes that are not API operations. */
const NOT_OPERATIONS: Record<string, string> = {
  "GET /*": "konui's dashboard pages (any path outside /api, /internal and /health)",
};

const HOW_TO_DOCUMENT = [
  "Put `documented({ summary, tags, ok: { 200: ResponseSchema }, errors: [...] })` from @kon/openapi first in the route's chain,",
  'then `validate("json" | "query" | "param", SchemaFromProtocol, "what")` for each input it reads (the handler reads c.req.valid(...)).',
  'See README, "API" → "Adding a documented route".',
].join("\n");

function missingFromDocument(service: string, routes: string[], document: OpenApiDocument): string[] {
  const documented = new Set(documentedOperations(document).map((op) => keyOf(op.method, op.path)));
  return routes
    .filter((route) => !(route in NOT_OPERATIONS) && !documented.has(route))
    .map((route) => `${service} registers ${route} but its OpenAPI document lacks it.\n${HOW_TO_DOCUMENT}`);
}

let stack: ContractStack;
beforeAll(async () => {
  stack = await startContractStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe("the OpenAPI documents", () => {
  it("document every route konui and konsole register", () => {
    const missing = [
      ...missingFromDocument("konui", registeredOperations(stack.konui.app.routes), stack.konuiDocument),
      ...missingFromDocument("konsole", registeredOperations(stack.konsole.app.routes), stack.konsoleDocument),
    ];
    expect(missing, missing.join("\n\n")).toEqual([]);
  });

  it("describe only routes that exist", () => {
    const phantom = [
      ...documentedOperations(stack.konuiDocument)
        .map((op) => keyOf(op.method, op.path))
        .filter((op) => !registeredOperations(stack.konui.app.routes).includes(op)),
      ...documentedOperations(stack.konsoleDocument)
        .map((op) => keyOf(op.method, op.path))
        .filter((op) => !registeredOperations(stack.konsole.app.routes).includes(op)),
    ];
    expect(phantom).toEqual([]);
  });

  it("give every operation a summary, a success response and the ErrorBody for each error", () => {
    for (const document of [stack.konuiDocument, stack.konsoleDocument]) {
      for (const { method, path: template, operation } of documentedOperations(document)) {
        const where = keyOf(method, template);
        expect(operation.summary, `${where} has no summary.\n${HOW_TO_DOCUMENT}`).toBeTruthy();
        const statuses = Object.keys(operation.responses ?? {});
        expect(statuses.some((status) => status < "400"), `${where} has no success response`).toBe(true);
        for (const status of statuses.filter((s) => s >= "400")) {
          expect(JSON.stringify(operation.responses?.[status]), `${where} ${status}`).toContain("#/components/schemas/ErrorBody");
        }
      }
    }
  });

  it.each([
    ["README.md", "konui", { K: "", A: "/api/agents/claude" }],
    ["packages/konsole/README.md", "konsole", { C: "" }],
  ] as const)("cover every curl example of %s", (readme, service, bases) => {
    const document = service === "konui" ? stack.konuiDocument : stack.konsoleDocument;
    const operations = documentedOperations(document);
    const examples = curlExamples(path.join(ROOT, readme), bases);
    expect(examples.length).toBeGreaterThan(10);
    const undocumented = examples.filter(
      (example) => !operations.some((op) => op.method.toUpperCase() === example.method && fitsTemplate(op.path, example.path)),
    );
    expect(
      undocumented.map((example) => `${example.method} ${example.path}   (${example.line})`),
      `curl examples of ${readme} that are no documented ${service} operation`,
    ).toEqual([]);
  });
});
