// The fault suite: konsole and konui, each as a real process, killed with -9 while turns are
// mid-way (the stand-in holds each turn's second model reply until the test opens its gate, so
// the kill never races the clock), then restarted. Every turn must end in a true state in
// konui's own store, no reply may be lost, and no `claude` process of the killed konsole may be left.
// Run alone: npx vitest run test/fault/kill-9.test.ts

import { mkdtempSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Message, SendMessageAccepted } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findTaggedProcesses, INSTANCE_TAG_VAR, instanceTagOf } from "../../packages/konsole/src/claude/process-tag.ts";
import { konsoleEnvFor, SERVICE_TOKEN } from "../../packages/konsole/test/support/konsole-harness.ts";
import { createClaudeHome, type ClaudeHome } from "../support/claude-env.ts";
import {
  createGate,
  noopBash,
  pendingToolResults,
  startMessagesApi,
  textReply,
  toolUseReply,
  userPrompts,
  type Gate,
  type MessagesApi,
  type Scenario,
} from "../support/messages-api.ts";
import { freePort, serviceProcess, type ServiceProcess } from "../support/service-process.ts";

const ADMIN_PASSWORD = "fault-admin-password";
const TURNS_PER_KILL = 3;

/** Turn `<group>-<n>`: a tool call with some text at once, then its last reply held on the group's gate. */
const gates = new Map<string, Gate>();
const markerOf = (prompt: string): string => /\b(g\d+-\d+)\b/.exec(prompt)?.[1] ?? "none";
const scenario: Scenario = (request) => {
  const marker = markerOf(userPrompts(request).at(-1) ?? "");
  if (pendingToolResults(request).length === 0) return toolUseReply("Bash", { ...noopBash }, { text: `Working on ${marker}` });
  const gate = gates.get(marker.split("-")[0] ?? "");
  return { ...textReply(`Finished ${marker}`), ...(gate ? { hold: gate.opened } : {}) };
};

let api: MessagesApi;
let home: ClaudeHome;
let dataRoot: string;
let konsole: ServiceProcess;
let konui: ServiceProcess;
let instanceTag: string;
let token = "";
const results: string[] = [];

beforeAll(async () => {
  api = await startMessagesApi({ scenario });
  home = createClaudeHome();
  dataRoot = realpathSync(mkdtempSync(path.join(tmpdir(), "kon-fault-")));
  const [konsolePort, konuiPort] = [await freePort(), await freePort()];
  const konsoleDataDir = path.join(dataRoot, "konsole");
  instanceTag = instanceTagOf(konsoleDataDir);
  konsole = serviceProcess(
    "konsole",
    konsolePort,
    konsoleEnvFor(api, home, `http://127.0.0.1:${konuiPort}`, konsoleDataDir, { KONSOLE_PORT: String(konsolePort), KONSOLE_MAX_PROCESSES: "8" }),
  );
  konui = serviceProcess("konui", konuiPort, {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home.home,
    KONUI_PORT: String(konuiPort),
    KONUI_DATA_DIR: path.join(dataRoot, "konui"),
    KONSOLE_URL: konsole.url,
    KONSOLE_SERVICE_TOKEN: SERVICE_TOKEN,
    ADMIN_PASSWORD,
    LOG_LEVEL: "silent",
  });
  await konui.start();
  await konsole.start();
  const login = await fetch(`${konui.url}/api/token`, { method: "POST", body: new URLSearchParams({ username: "admin", password: ADMIN_PASSWORD }) });
  expect(login.status).toBe(200);
  token = ((await login.json()) as { access_token: string }).access_token;
}, 300_000);

afterAll(async () => {
  for (const gate of gates.values()) gate.open();
  await konsole?.stop("SIGTERM");
  await konui?.stop("SIGTERM");
  await api?.stop();
  await home?.cleanup();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  console.log(`fault suite:\n${results.map((line) => `  ${line}`).join("\n")}`);
});

async function konuiCall<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${konui.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

interface SentTurn {
  marker: string;
  sessionId: string;
  turnId: string;
}

/** One new session per turn, each sent its prompt asynchronously through konui. */
async function sendTurns(group: string): Promise<SentTurn[]> {
  gates.set(group, createGate());
  const sent: SentTurn[] = [];
  for (let n = 1; n <= TURNS_PER_KILL; n++) {
    const marker = `${group}-${n}`;
    const session = await konuiCall<{ id: string }>("POST", "/api/agents/claude/session", { title: marker });
    expect(session.status).toBe(201);
    const accepted = await konuiCall<SendMessageAccepted>("POST", `/api/agents/claude/sessions/${session.body.id}/message?async=true`, {
      text: `Run the tool for ${marker}`,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    sent.push({ marker, sessionId: session.body.id, turnId: accepted.body.turnId });
  }
  return sent;
}

/** Every turn has had its tool call run and now waits on its held last reply. */
async function untilHeld(turns: SentTurn[]): Promise<void> {
  const waiting = () =>
    turns.filter(
      ({ marker }) => !api.requests.some((r) => r.messages && !r.side && markerOf(userPrompts(r.messages).at(-1) ?? "") === marker && pendingToolResults(r.messages).length > 0),
    ).length;
  await expect.poll(waiting, { timeout: 180_000, interval: 200 }).toBe(0);
}

/** The assistant message konui itself stored for the turn (not what konsole says now). */
async function storedReply(turn: SentTurn): Promise<Message | undefined> {
  const page = await konuiCall<{ messages: Message[] }>("GET", `/api/agents/claude/sessions/${turn.sessionId}/messages`);
  return page.body.messages?.find((m) => m.role === "assistant" && m.turnId === turn.turnId);
}

async function untilAllStored(turns: SentTurn[]): Promise<Message[]> {
  let stored: (Message | undefined)[] = [];
  await expect
    .poll(
      async () => {
        stored = await Promise.all(turns.map(storedReply));
        return stored.filter((m) => m !== undefined && m.status !== "pending").length;
      },
      { timeout: 180_000, interval: 250 },
    )
    .toBe(turns.length);
  return stored as Message[];
}

const claudeProcesses = (): number[] => findTaggedProcesses(instanceTag, INSTANCE_TAG_VAR);

describe("konsole killed with -9 mid-turn, then restarted", () => {
  it("fails every turn as supervisor_restarted with its partial text, and leaves no claude process", async () => {
    const turns = await sendTurns("g1");
    await untilHeld(turns);
    const orphans = claudeProcesses();
    expect(orphans.length).toBeGreaterThanOrEqual(TURNS_PER_KILL);

    await konsole.stop("SIGKILL");
    const survivedKill = claudeProcesses().length;
    await konsole.start();

    const stored = await untilAllStored(turns);
    turns.forEach((turn, i) => {
      expect(stored[i], turn.marker).toMatchObject({ status: "failed", error: { code: "supervisor_restarted" } });
      expect(stored[i]?.text, turn.marker).toContain(`Working on ${turn.marker}`);
      expect(stored[i]?.text, turn.marker).not.toContain("Finished");
    });
    await expect.poll(claudeProcesses, { timeout: 120_000, interval: 200 }).toEqual([]);
    const failed = stored.filter((m) => m.error?.code === "supervisor_restarted" && m.text.includes("Working on")).length;
    results.push(
      `konsole -9 mid-turn: ${turns.length} turns → ${failed} failed supervisor_restarted with their partial text, ` +
        `${turns.length - stored.length} lost; claude processes: ${orphans.length} before the kill, ${survivedKill} alive after it, 0 after the restart`,
    );
  }, 400_000);
});

describe("konui killed with -9 mid-turn, then restarted", () => {
  it("stores every reply: those finished while konui was down and those finished after it came back", async () => {
    const whileDown = await sendTurns("g2");
    const afterRestart = await sendTurns("g3");
    await untilHeld([...whileDown, ...afterRestart]);

    await konui.stop("SIGKILL");
    gates.get("g2")?.open();
    // konsole finishes these while konui is gone.
    const konsoleTurn = async (turnId: string) =>
      ((await (await fetch(`${konsole.url}/turns/${turnId}`, { headers: { authorization: `Bearer ${SERVICE_TOKEN}` } })).json()) as { status: string }).status;
    await expect
      .poll(async () => (await Promise.all(whileDown.map((t) => konsoleTurn(t.turnId)))).every((status) => status === "succeeded"), {
        timeout: 180_000,
        interval: 250,
      })
      .toBe(true);

    await konui.start();
    gates.get("g3")?.open();
    const stored = await untilAllStored([...whileDown, ...afterRestart]);
    [...whileDown, ...afterRestart].forEach((turn, i) => {
      expect(stored[i], turn.marker).toMatchObject({ status: "complete", error: null });
      expect(stored[i]?.text, turn.marker).toContain(`Finished ${turn.marker}`);
    });
    // Chat turns leave their process hot for the next message: konsole's own, listed in /hot/status.
    // Ending the sessions through konui must end every one of them.
    const hot = (await (await fetch(`${konsole.url}/hot/status`, { headers: { authorization: `Bearer ${SERVICE_TOKEN}` } })).json()) as {
      processes: { pid: number | null }[];
    };
    const kept = claudeProcesses().length;
    for (const turn of [...whileDown, ...afterRestart]) {
      expect((await konuiCall("DELETE", `/api/agents/claude/sessions/${turn.sessionId}`)).status).toBe(204);
    }
    await expect.poll(claudeProcesses, { timeout: 120_000, interval: 200 }).toEqual([]);
    const succeeded = (turns: SentTurn[]) =>
      stored.filter((m) => turns.some((t) => t.turnId === m.turnId) && m.status === "complete" && m.text.includes("Finished")).length;
    results.push(
      `konui -9 mid-turn: ${whileDown.length} turns finished while konui was down → ${succeeded(whileDown)} stored complete with their reply; ` +
        `${afterRestart.length} finished after its restart → ${succeeded(afterRestart)} stored complete; 0 lost; ` +
        `claude processes: ${kept} kept hot by konsole (${hot.processes.length} in /hot/status), 0 left once the sessions were deleted`,
    );
  }, 400_000);
});
