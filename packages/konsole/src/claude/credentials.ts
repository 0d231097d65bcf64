import { existsSync } from "node:fs";
import path from "node:path";
import type { ClaudeCredentials } from "@kon/protocol";

const truthy = (value: string | undefined): boolean => value !== undefined && !/^(0|false|no|off)?$/i.test(value.trim());

/**
 * Which credentials a Claude process started with `env` will use, in the CLI's own order:
 * a cloud provider when one is switched on, else an API key (or auth token), else a Messages
 * API gateway, else a CLI login (an OAuth token, or the credentials file in its config dir).
 */
export function claudeCredentialsOf(env: Readonly<Record<string, string | undefined>>): ClaudeCredentials {
  if (truthy(env.CLAUDE_CODE_USE_BEDROCK)) return "bedrock";
  if (truthy(env.CLAUDE_CODE_USE_VERTEX)) return "vertex";
  if (env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN) return "api_key";
  if (env.ANTHROPIC_BASE_URL) return "base_url";
  if (env.CLAUDE_CODE_OAUTH_TOKEN) return "cli_login";
  const configDir = env.CLAUDE_CONFIG_DIR ?? (env.HOME ? path.join(env.HOME, ".claude") : undefined);
  if (configDir && existsSync(path.join(configDir, ".credentials.json"))) return "cli_login";
  return "none";
}

/** What an operator has to do when there are none; said once at start and in every turn that fails for want of them. */
export const NO_CREDENTIALS_HINT =
  "Claude has no credentials: set ANTHROPIC_API_KEY for konsole (or ANTHROPIC_BASE_URL for a Messages API gateway, " +
  "or CLAUDE_CODE_USE_BEDROCK=1 / CLAUDE_CODE_USE_VERTEX=1 with that cloud's settings) and restart it.";

const NOT_LOGGED_IN = /not logged in|please run \/login/i;

/** Whether the CLI's words mean it had no credentials to call the API with. */
export function isMissingCredentials(text: string): boolean {
  return NOT_LOGGED_IN.test(text);
}
