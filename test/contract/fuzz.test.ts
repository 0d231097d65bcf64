import path from "node:path";
import { ErrorBody } from "@kon/protocol";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContractStack, type ContractStack } from "./contract-stack.ts";
import { requestsFor, type FuzzRequest } from "./fuzz-requests.ts";
import { documentedOperations, keyOf, type DocumentedOperation, type OpenApiDocument } from "./operations.ts";
import type { JsonSchema } from "./schema-arbitraries.ts";
import { storedRows } from "./stored-rows.ts";

// Property-based tests driven by the OpenAPI documents, against konui and konsole running for
// real on real SQLite files: for every operation, requests its schemas accept and requests they
// refuse. Never a 5xx, never an undocumented status, every error in the ErrorBody shape, every
// 2xx body valid against its documented schema, and nothing stored changed by a refused request.

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

/** Operations whose accepted requests start Claude turns or warm processes: only refused bodies are sent. */
const REFUSED_ONLY = new Set([
  "POST /api/agents/{name}/sessions/{id}/message",
  "POST /api/kontasks/{id}/choose",
  "POST /sessions/{sessionId}/turns",
  "POST /sessions/{sessionId}/hot-prompt",
  "PUT /hot/config",
]);
/** WebSockets (covered by their own tests) and what would end the fuzzing's own login. */
const SKIPPED = new Set(["GET /api/live", "GET /ws"]);
/** These end the caller's login: each request gets a fresh one. */
const ENDS_LOGIN = new Set(["POST /api/logout", "POST /api/auth/logout"]);
/** Failed logins count towards the per-address throttle, so they run after everything else. */
const LAST = new Set(["POST /api/token", "POST /api/auth/login", "POST /api/auth/refresh", "PUT /api/flags/{name}"]);

const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats.default(ajv);

interface Service {
  name: "konui" | "konsole";
  url: string;
  document: OpenApiDocument;
  files: string[];
  token(operation: string): Promise<string>;
  known(template: string, param: string): string[];
}

const seen = new Map<string, number>();
let requests = 0;
let operations = 0;

function schemaOfResponse(document: OpenApiDocument, op: DocumentedOperation, status: number): object | undefined {
  const response = op.operation.responses?.[String(status)];
  if (!response || "$ref" in response) return undefined;
  const schema = response.content?.["application/json"]?.schema;
  return schema ? { ...schema, components: document.components } : undefined;
}

async function send(service: Service, op: DocumentedOperation, request: FuzzRequest): Promise<{ status: number; text: string }> {
  const url = new URL(`${service.url}${request.path}`);
  for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value);
  const headers: Record<string, string> = { authorization: `Bearer ${await service.token(keyOf(op.method, op.path))}` };
  let body: string | undefined;
  if (request.body.kind === "json") {
    headers["content-type"] = "application/json";
    body = JSON.stringify(request.body.value);
  } else if (request.body.kind === "raw") {
    headers["content-type"] = request.body.contentType;
    body = request.body.text;
  }
  const res = await fetchOnFreshSocketIfReset(url, { method: op.method.toUpperCase(), headers, body });
  return { status: res.status, text: await res.text() };
}

/**
 * A kept-alive socket the server closes (its keep-alive timeout) just as fetch reuses it fails
 * with ECONNRESET before the server read a byte; the request then goes again, once.
 */
async function fetchOnFreshSocketIfReset(url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw error;
    return fetch(url, init);
  }
}

/**
 * What an accepted change sets off (a deleted session's process retiring and its token being
 * revoked) lands after the answer: wait until the stored rows hold still before the next request.
 */
async function settle(files: string[]): Promise<void> {
  // Still for several checks in a row: on a busy machine one step of that work can lag the last by more than one interval.
  const STILL_CHECKS = 4;
  let last = files.map(storedRows).join();
  let still = 0;
  for (let i = 0; i < 400; i++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = files.map(storedRows).join();
    still = now === last ? still + 1 : 0;
    if (still >= STILL_CHECKS) return;
    last = now;
  }
  throw new Error("stored rows kept changing for a minute after an accepted request");
}

async function check(service: Service, op: DocumentedOperation, request: FuzzRequest): Promise<void> {
  const before = service.files.map(storedRows);
  const { status, text } = await send(service, op, request);
  const where = `${service.name} ${keyOf(op.method, op.path)} → ${status} for ${JSON.stringify(request).slice(0, 400)}: ${text.slice(0, 300)}`;
  requests++;
  seen.set(`${service.name} ${status}`, (seen.get(`${service.name} ${status}`) ?? 0) + 1);
  expect(status, where).toBeLessThan(500);
  expect(Object.keys(op.operation.responses ?? {}), `undocumented status: ${where}`).toContain(String(status));
  if (status >= 400) {
    expect(ErrorBody.safeParse(JSON.parse(text)).success, where).toBe(true);
    expect(service.files.map(storedRows), `a refused request changed stored rows: ${where}`).toEqual(before);
    return;
  }
  expect(request.refusable, `a body the schema refuses was accepted: ${where}`).toBe(false);
  if (op.method !== "get") await settle(service.files);
  const schema = schemaOfResponse(service.document, op, status);
  if (schema) {
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(text)), `${where}\n${ajv.errorsText(validate.errors)}`).toBe(true);
  }
}

async function fuzz(service: Service, ops: DocumentedOperation[]): Promise<void> {
  const components = (service.document.components?.schemas ?? {}) as Record<string, JsonSchema>;
  for (const op of ops) {
    const key = keyOf(op.method, op.path);
    const requests = requestsFor(op.path, op.operation, components, (param) => service.known(op.path, param), REFUSED_ONLY.has(key));
    operations++;
    await fc.assert(
      fc.asyncProperty(requests, (request) => check(service, op, request)),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
  }
}

function ordered(document: OpenApiDocument): DocumentedOperation[] {
  const ops = documentedOperations(document).filter((op) => !SKIPPED.has(keyOf(op.method, op.path)));
  const last = (op: DocumentedOperation) => (LAST.has(keyOf(op.method, op.path)) ? 1 : 0);
  return ops.sort((a, b) => last(a) - last(b));
}

let stack: ContractStack;
let konui: Service;
let konsole: Service;

beforeAll(async () => {
  stack = await startContractStack();
  const login = async (username: string, password: string) => {
    const res = await fetch(`${stack.konui.url}/api/token`, {
      method: "POST",
      body: new URLSearchParams({ username, password }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const victim = await stack.call<{ id: string }>("POST", "/api/users", { username: "victim", password: "victim-password" });
  const session = await stack.newSession();
  const sent = await stack.send(session, "Hello");
  const kontask = await stack.call<{ id: string }>("POST", "/api/kontasks", {
    title: "fuzzed",
    sessionId: session,
    context: { choices: [{ label: "Go", value: "go" }] },
  });
  const issued = await fetch(`${stack.konui.url}/internal/process-tokens/pool`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.serviceToken}`, "content-type": "application/json" },
    body: JSON.stringify({ processId: "fuzz-proc" }),
  });
  const poolToken = ((await issued.json()) as { tokenId: string }).tokenId;
  const konuiIds: Record<string, string[]> = {
    "/api/kontasks/{id}": [kontask.body.id],
    "/api/agents/{name}/sessions/{id}": [session],
    "/api/users/{id}": [victim.body.id],
  };
  konui = {
    name: "konui",
    url: stack.konui.url,
    document: stack.konuiDocument,
    files: [path.join(stack.home.root, "konui", "konui.sqlite"), path.join(stack.home.root, "konsole", "konsole.sqlite")],
    token: async (operation) => {
      if (operation.startsWith("POST /internal/") || operation.startsWith("DELETE /internal/")) return stack.serviceToken;
      return ENDS_LOGIN.has(operation) ? login("victim", "victim-password") : stack.token;
    },
    known: (template, param) => {
      if (param === "name") return ["claude"];
      if (param === "turnId") return [sent.turnId];
      if (param === "tokenId") return [poolToken];
      return Object.entries(konuiIds).find(([prefix]) => template.startsWith(prefix))?.[1] ?? [];
    },
  };
  konsole = {
    name: "konsole",
    url: stack.konsole.url,
    document: stack.konsoleDocument,
    files: konui.files,
    token: async () => stack.serviceToken,
    known: (_template, param) => (param === "sessionId" ? [session] : param === "turnId" ? [sent.turnId] : []),
  };
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  const statuses = [...seen.entries()].sort().map(([status, count]) => `${status}×${count}`);
  console.log(`contract fuzz: ${operations} operations × ${RUNS} runs = ${requests} requests; statuses: ${statuses.join(" ")}`);
});

describe("schema-driven fuzzing", () => {
  // A bounded amount of work that a busy machine only slows down: no tighter limit than that.
  const BOUNDED_WORK = { timeout: 900_000 };
  it("konsole: every operation holds its contract", BOUNDED_WORK, async () => {
    await fuzz(konsole, ordered(konsole.document));
  });

  it("konui: every operation holds its contract", BOUNDED_WORK, async () => {
    await fuzz(konui, ordered(konui.document));
  });
});
