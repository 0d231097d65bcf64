#!/usr/bin/env node
// Starts konsole and konui together, konui serving the dashboard (built first when missing or
// older than its sources). With no configuration it uses embedded defaults (see services.mjs).
import { ensureDashboardBuilt } from "./dashboard-build.mjs";
import { runStack, service, stackEnv, waitForHealth } from "./services.mjs";

const env = stackEnv();
// KONUI_DASHBOARD_DIR names someone else's build; only the bundled one is ours to build.
if (!env.KONUI_DASHBOARD_DIR) {
  try {
    await ensureDashboardBuilt();
  } catch (err) {
    console.error(`${err.message}; konui will answer pages with a 503 until the dashboard builds`);
  }
}

/** konsole's /health says which credentials Claude processes will use; "none" deserves a plain word. */
async function credentialsHint() {
  const health = await fetch(`${env.KONSOLE_URL}/health`).then((res) => res.json()).catch(() => ({}));
  return health.credentials === "none"
    ? "\n  Claude has no credentials yet: every turn will fail. Stop, export ANTHROPIC_API_KEY (or\n" +
        "  ANTHROPIC_BASE_URL, or CLAUDE_CODE_USE_BEDROCK=1 / CLAUDE_CODE_USE_VERTEX=1 with that cloud's\n" +
        "  settings) and start again.\n"
    : "";
}

const stack = runStack([service("konsole"), service("konui")], env);
waitForHealth([env.KONSOLE_URL, env.KONUI_URL], stack.isStopping).then(
  async () =>
    console.log(
      `\nkon is up.\n\n  Dashboard:  ${env.KONUI_URL}/   (log in as admin; a generated password is printed above on first start)\n` +
        `  API:        ${env.KONUI_URL}/api   (and the live WebSocket at /api/live)\n` +
        `  konsole:    ${env.KONSOLE_URL}   (loopback only)\n` +
        (await credentialsHint()),
    ),
  (error) => console.error(error.message),
);
await stack.done;
