// What `pnpm start` and `pnpm dev` share: the embedded defaults (loopback ports, SQLite under
// ./.data, a service token generated once and kept there) and running child processes as one
// stack that stops in order and never leaves a child behind.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
const dataRoot = path.join(root, ".data");

export function stackEnv() {
  const env = { ...process.env };
  env.KONUI_PORT ??= "7800";
  env.KONSOLE_PORT ??= "7801";
  env.KONUI_DATA_DIR ??= path.join(dataRoot, "konui");
  env.KONSOLE_DATA_DIR ??= path.join(dataRoot, "konsole");
  env.KONUI_URL ??= `http://127.0.0.1:${env.KONUI_PORT}`;
  env.KONSOLE_URL ??= `http://127.0.0.1:${env.KONSOLE_PORT}`;
  env.KONSOLE_SERVICE_TOKEN ??= serviceToken();
  return env;
}

function serviceToken() {
  const file = path.join(dataRoot, "service-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataRoot, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** konsole or konui, run from source. */
/**
 * konsole's Node flags: a 2 MB young generation keeps the observer's peak RSS flat while it
 * parses a large history (V8 otherwise grows it to 16 MB per semi-space and keeps the pages).
 * The Dockerfile and `bench/observer-index.ts` run konsole with the same.
 */
export const KONSOLE_NODE_FLAGS = ["--max-semi-space-size=2"];

export function service(name) {
  const flags = name === "konsole" ? KONSOLE_NODE_FLAGS : [];
  return { name, args: [...flags, "--import", "tsx", path.join(root, "packages", name, "src", "main.ts")], cwd: root };
}

/**
 * Starts the children in order and stops them in the same order (konsole before konui: while it
 * ends its processes it still revokes their tokens at konui). One exiting stops them all.
 */
export function runStack(specs, env) {
  const children = specs.map(({ name, args, cwd }) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env,
      stdio: ["ignore", "inherit", "inherit"],
      // Own process groups, so Ctrl-C reaches only this script and it can stop them in order.
      detached: true,
    });
    return { name, child, exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))) };
  });

  let stopping = false;
  async function stopAll() {
    if (stopping) return;
    stopping = true;
    for (const { child, exited } of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    }
  }
  process.on("SIGINT", () => void stopAll());
  process.on("SIGTERM", () => void stopAll());
  process.on("exit", () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  for (const { name, exited } of children) {
    exited.then(({ code, signal }) => {
      if (!stopping) {
        console.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the stack`);
        process.exitCode = 1;
        void stopAll();
      }
    });
  }
  return {
    isStopping: () => stopping,
    done: Promise.all(children.map(({ exited }) => exited)),
  };
}

/** Resolves once every URL's /health answers; rejects after a minute. */
export async function waitForHealth(urls, isStopping) {
  const deadline = Date.now() + 60_000;
  for (const url of urls) {
    for (;;) {
      if (isStopping()) return;
      try {
        if ((await fetch(`${url}/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${url}/health did not answer within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
