import { INSTANCE_TAG_VAR } from "./process-tag.ts";

export interface ProcessIdentity {
  konuiUrl: string;
  konuiToken: string;
  /** This konsole's tag (see process-tag.ts). */
  instanceTag: string;
}

/** Never handed to a Claude process: they would change how the CLI or its node runtime behaves. */
const WITHHELD = new Set(["CLAUDECODE", "NODE_OPTIONS", "KONSOLE_SERVICE_TOKEN"]);

export function buildChildEnv(base: Readonly<Record<string, string>>, identity: ProcessIdentity): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (!WITHHELD.has(key)) env[key] = value;
  }
  env.KONUI_URL = identity.konuiUrl;
  env.KONUI_TOKEN = identity.konuiToken;
  env[INSTANCE_TAG_VAR] = identity.instanceTag;
  return env;
}
