#!/usr/bin/env node
// Starts konsole and konui together. With no configuration it uses embedded defaults:
// loopback ports, SQLite under ./.data, and a service token generated once and kept there.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataRoot = path.join(root, ".data");
const env = { ...process.env };

env.KONUI_PORT ??= "7800";
env.KONSOLE_PORT ??= "7801";
env.KONUI_DATA_DIR ??= path.join(dataRoot, "konui");
env.KONSOLE_DATA_DIR ??= path.join(dataRoot, "konsole");
env.KONUI_URL ??= `http://127.0.0.1:${env.KONUI_PORT}`;
env.KONSOLE_URL ??= `http://127.0.0.1:${env.KONSOLE_PORT}`;
env.KONSOLE_SERVICE_TOKEN ??= serviceToken();

function serviceToken() {
  const file = path.join(dataRoot, "service-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataRoot, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

const services = ["konsole", "konui"].map((name) => {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "packages", name, "src", "main.ts")], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
    // Own process groups, so Ctrl-C reaches only this script and it can stop them in order.
    detached: true,
  });
  return { name, child, exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))) };
});

let stopping = false;
// konsole first: while it ends its processes it still revokes their tokens at konui.
async function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const { child, exited } of services) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  }
}
process.on("SIGINT", () => void stopAll());
process.on("SIGTERM", () => void stopAll());
// Never leave a service behind, whatever ends this script.
process.on("exit", () => {
  for (const { child } of services) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

for (const { name, exited } of services) {
  exited.then(({ code, signal }) => {
    if (!stopping) {
      console.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the stack`);
      process.exitCode = 1;
      void stopAll();
    }
  });
}

waitForHealth().then(
  () => console.log(`\nkon is up: konui ${env.KONUI_URL} (API and live WebSocket), konsole ${env.KONSOLE_URL} (loopback only)\n`),
  (error) => console.error(error.message),
);

async function waitForHealth() {
  const deadline = Date.now() + 60_000;
  for (const url of [env.KONSOLE_URL, env.KONUI_URL]) {
    for (;;) {
      if (stopping) return;
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

await Promise.all(services.map((service) => service.exited));
