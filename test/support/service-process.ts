// konsole or konui as a real child process (node with tsx's loader, not the tsx CLI: the CLI runs
// the service in a grandchild that a kill -9 would miss), on a fixed port so it can be restarted
// where the other service expects it.

import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsxLoader = pathToFileURL(createRequire(path.join(root, "package.json")).resolve("tsx/esm")).href;

export type ServiceName = "konsole" | "konui";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 0;
}

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly url: string;
  /** The running child, if any. */
  readonly child: ChildProcess | undefined;
  /** Starts it (again) and waits until `/health` answers. */
  start(): Promise<void>;
  /** SIGKILL (no chance to clean up) or SIGTERM (a graceful stop); waits for the exit. */
  stop(signal: "SIGKILL" | "SIGTERM"): Promise<void>;
}

export function serviceProcess(name: ServiceName, port: number, env: Record<string, string>): ServiceProcess {
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  return {
    name,
    url,
    get child() {
      return running() ? child : undefined;
    },
    async start() {
      if (running()) throw new Error(`${name} is already running`);
      const started = spawn(process.execPath, ["--import", tsxLoader, "src/main.ts"], {
        cwd: path.join(root, "packages", name),
        env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      child = started;
      let stderr = "";
      started.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return;
        if (started.exitCode !== null) throw new Error(`${name} exited with ${started.exitCode}: ${stderr.slice(-800)}`);
        await sleep(100);
      }
      throw new Error(`${name} did not become healthy: ${stderr.slice(-800)}`);
    },
    async stop(signal) {
      const current = child;
      if (!current || !running()) return;
      const exited = new Promise((resolve) => current.once("exit", resolve));
      current.kill(signal);
      await exited;
    },
  };
}
