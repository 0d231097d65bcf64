// konui and konsole started for real (real SQLite files, the Messages API stand-in) with the
// documents they serve: what the contract tests start from.

import { plainText } from "../support/messages-api-scenarios.ts";
import { startStack, type Stack } from "../e2e/stack.ts";
import type { OpenApiDocument } from "./operations.ts";

export interface ContractStack extends Stack {
  konuiDocument: OpenApiDocument;
  konsoleDocument: OpenApiDocument;
}

async function documentAt(url: string): Promise<OpenApiDocument> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as OpenApiDocument;
}

export async function startContractStack(): Promise<ContractStack> {
  const stack = await startStack({
    scenario: () => plainText("OK"),
    konsoleEnv: { KONSOLE_OBSERVE_DIRS: "none" },
    // The fuzz issues process tokens with short lives; a sweep between two snapshots would look
    // like a refused request deleting rows. The sweep still runs once, at start.
    konuiEnv: { KONUI_SWEEP_INTERVAL_SEC: "86400" },
  });
  try {
    const konuiDocument = await documentAt(`${stack.konui.url}/api/openapi.json`);
    const konsoleDocument = await documentAt(`${stack.konsole.url}/openapi.json`);
    return Object.assign(stack, { konuiDocument, konsoleDocument });
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
