#!/usr/bin/env node
// Development: konsole and konui as `pnpm start` runs them, plus the dashboard's Vite dev server
// with hot reload, which proxies /api (and the live WebSocket) to konui.
import path from "node:path";
import { root, runStack, service, stackEnv, waitForHealth } from "./services.mjs";

const env = stackEnv();
const devPort = env.DASHBOARD_DEV_PORT ?? "5173";
const devUrl = `http://127.0.0.1:${devPort}`;
const dashboard = path.join(root, "packages", "dashboard");
const vite = {
  name: "vite",
  args: [path.join(dashboard, "node_modules", "vite", "bin", "vite.js"), "--host", "127.0.0.1", "--port", devPort, "--strictPort"],
  cwd: dashboard,
};

const stack = runStack([service("konsole"), service("konui"), vite], env);
waitForHealth([env.KONSOLE_URL, env.KONUI_URL, devUrl], stack.isStopping).then(
  () =>
    console.log(
      `\nkon dev is up.\n\n  Open the dashboard at ${devUrl}/   (Vite, hot reload; /api goes to konui at ${env.KONUI_URL})\n` +
        `  konui also serves the last build at ${env.KONUI_URL}/ (pnpm start rebuilds it)\n`,
    ),
  (error) => console.error(error.message),
);
await stack.done;
