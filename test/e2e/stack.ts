// konui and konsole started for real, in one throwaway directory, against the Messages API
// stand-in, with an admin logged in: what every end-to-end test begins with.

import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { parseConfig, start as startKonsole, type RunningKonsole } from "@kon/konsole";
import { loadConfig, start as startKonui, type RunningKonui } from "@kon/konui";
import { createLogger } from "@kon/konui/logger";
import type { SendMessageResult } from "@kon/protocol";
import { expect } from "vitest";
import { createClaudeHome, type ClaudeHome } from "../support/claude-env.ts";
import { startMessagesApi, type MessagesApi, type Scenario } from "../support/messages-api.ts";

export const ADMIN_PASSWORD = "e2e-admin-password";

export interface Answer<T> {
  status: number;
  body: T;
}

export interface Stack {
  home: ClaudeHome;
  api: MessagesApi;
  konui: RunningKonui;
  konsole: RunningKonsole;
  serviceToken: string;
  /** The admin's access token. */
  token: string;
  /** A konui request, as the admin unless `bearer` says otherwise. */
  call<T>(method: string, url: string, body?: unknown, bearer?: string): Promise<Answer<T>>;
  /** A konsole request with the service token. */
  callKonsole<T>(method: string, url: string): Promise<Answer<T>>;
  newSession(): Promise<string>;
  /** A synchronous send; fails the test unless konui answers 200. */
  send(sessionId: string, text: string): Promise<SendMessageResult>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** The stand-in's answers; gets the home so it can name files in it. */
  scenario(home: ClaudeHome): Scenario;
  /** konsole variables on top of the stack's own (e.g. `KONSOLE_HOT_POOL_SIZE`). */
  konsoleEnv?: Record<string, string>;
  /** konui variables on top of the stack's own (e.g. `KONUI_DASHBOARD_DIR`). */
  konuiEnv?: Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answer<T>(res: Response): Promise<Answer<T>> {
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function jsonRequest(method: string, bearer: string, body?: unknown): RequestInit {
  return {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

const portTaken = (err: unknown): boolean => (err as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE";

/**
 * konui must know konsole's port before konsole listens, so the port is picked first; another
 * program on the machine may take it in between, and then the whole stack starts again.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce(options);
    } catch (err) {
      if (!portTaken(err) || attempt >= 5) throw err;
    }
  }
}

async function startStackOnce(options: StackOptions): Promise<Stack> {
  const serviceToken = randomBytes(24).toString("hex");
  const home = createClaudeHome();
  const api = await startMessagesApi({ scenario: options.scenario(home) });
  const konsolePort = await freePort();
  let konui: RunningKonui | undefined;
  let konsole: RunningKonsole | undefined;
  const stop = async () => {
    await konsole?.stop();
    await konui?.stop();
    await api.stop();
    await home.cleanup();
  };
  try {
    konui = await startKonui(
      loadConfig({
        KONUI_PORT: "0",
        KONUI_DATA_DIR: path.join(home.root, "konui"),
        KONSOLE_URL: `http://127.0.0.1:${konsolePort}`,
        KONSOLE_SERVICE_TOKEN: serviceToken,
        ADMIN_PASSWORD,
        LOG_LEVEL: "silent",
        ...options.konuiEnv,
      }),
      { logger: createLogger("silent"), print: () => {} },
    );
    konsole = await startKonsole(
      parseConfig({
        ...home.env(api.url),
        KONSOLE_PORT: String(konsolePort),
        KONSOLE_DATA_DIR: path.join(home.root, "konsole"),
        KONUI_URL: konui.url,
        KONSOLE_SERVICE_TOKEN: serviceToken,
        KONSOLE_HOT_POOL_SIZE: "0",
        LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "silent",
        ...options.konsoleEnv,
      }),
    );
    const login = await fetch(`${konui.url}/api/token`, {
      method: "POST",
      body: new URLSearchParams({ username: "admin", password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { access_token: string }).access_token;
    return stackOf({ home, api, konui, konsole, serviceToken, token, stop });
  } catch (err) {
    // A stack that did not come up leaves no service listening and no temp dir behind.
    await stop();
    throw err;
  }
}

function stackOf(parts: Pick<Stack, "home" | "api" | "konui" | "konsole" | "serviceToken" | "token" | "stop">): Stack {
  const { konui, konsole, serviceToken, token } = parts;
  const call: Stack["call"] = async (method, url, body, bearer = token) =>
    answer(await fetch(`${konui.url}${url}`, jsonRequest(method, bearer, body)));
  return {
    ...parts,
    call,
    callKonsole: async (method, url) => answer(await fetch(`${konsole.url}${url}`, jsonRequest(method, serviceToken))),
    async newSession() {
      const res = await call<{ id: string }>("POST", "/api/agents/claude/session", { title: "e2e" });
      expect(res.status).toBe(201);
      return res.body.id;
    },
    async send(sessionId, text) {
      const res = await call<SendMessageResult>("POST", `/api/agents/claude/sessions/${sessionId}/message`, { text });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
  };
}

/** Polls `probe` every 100 ms until it returns something, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
