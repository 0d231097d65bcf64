// Both services' /metrics scraped around real turns (the real CLI against the Messages API
// stand-in): the figures move with what happened, every event on both buses fits its schema,
// and request ids travel from the caller through konui to konsole.

import { KonsoleEvent, KonuiEvent } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardStream } from "../support/dashboard-stream.ts";
import { loopForever, memory, userPrompts } from "../support/messages-api.ts";
import { figure, parsePrometheusText, type Sample } from "../support/prometheus-text.ts";
import { eventually, startStack, type Stack } from "./stack.ts";

const METRICS_TOKEN = "metrics-token-for-the-e2e-test";
let stack: Stack;
const badEvents: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    scenario: () => {
      const remember = memory();
      const loop = loopForever();
      return (request) => (/loop/i.test(userPrompts(request).at(-1) ?? "") ? loop(request) : remember(request));
    },
    konsoleEnv: { KONSOLE_METRICS_PORT: "0", KONSOLE_HOT_POOL_SIZE: "1" },
    konuiEnv: { KONUI_METRICS_TOKEN: METRICS_TOKEN },
  });
  stack.konsole.bus.onAny((event) => {
    const parsed = KonsoleEvent.safeParse(event);
    if (!parsed.success) badEvents.push(`konsole ${event.type}: ${parsed.error.message}`);
  });
  stack.konui.services.bus.onAny((event) => {
    const parsed = KonuiEvent.safeParse(event);
    if (!parsed.success) badEvents.push(`konui ${event.type}: ${parsed.error.message}`);
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function scrape(url: string, bearer?: string): Promise<Sample[]> {
  const res = await fetch(url, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

const konsoleMetrics = () => scrape(stack.konsole.metricsUrl ?? "no metrics port");
const konuiMetrics = () => scrape(`${stack.konui.url}/metrics`, METRICS_TOKEN);
const ofValue = (samples: Sample[], name: string, labels: Record<string, string> = {}) => figure(samples, name, labels) ?? 0;

describe("GET /metrics", () => {
  it("is served to the right callers only", async () => {
    const konsoleMain = `${stack.konsole.url}/metrics`;
    expect((await fetch(konsoleMain)).status).toBe(401);
    expect((await fetch(konsoleMain, { headers: { authorization: `Bearer ${stack.serviceToken}` } })).status).toBe(200);
    const konui = `${stack.konui.url}/metrics`;
    expect((await fetch(konui)).status).toBe(401);
    expect((await fetch(konui, { headers: { authorization: "Bearer not-the-metrics-token" } })).status).toBe(401);
    expect((await fetch(konui, { headers: { authorization: `Bearer ${stack.token}` } })).status).toBe(200);
    const created = await stack.call("POST", "/api/users", { username: "metrics-user", password: "metrics-user-password" });
    expect(created.status).toBe(201);
    const login = await fetch(`${stack.konui.url}/api/token`, {
      method: "POST",
      body: new URLSearchParams({ username: "metrics-user", password: "metrics-user-password" }),
    });
    const userToken = ((await login.json()) as { access_token: string }).access_token;
    const refused = await fetch(konui, { headers: { authorization: `Bearer ${userToken}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    // The default process metrics are there on both.
    expect(figure(await konsoleMetrics(), "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(figure(await konuiMetrics(), "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("moves with real turns: outcomes, durations, cost and tokens, the pool, tokens, sockets", async () => {
    // The pool's process is warm and konui follows the journal before the first turn.
    await eventually("a warm pool process", async () => (ofValue(await konsoleMetrics(), "konsole_hot_ready_total", { pooled: "true" }) >= 1 ? true : undefined));
    const konsoleBefore = await konsoleMetrics();
    const konuiBefore = await konuiMetrics();
    expect(ofValue(konsoleBefore, "konsole_journal_streams")).toBe(1);

    const sessionId = await stack.newSession();
    const sent = await fetch(`${stack.konui.url}/api/agents/claude/sessions/${sessionId}/message`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/json", "x-request-id": "e2e-metrics-1" },
      body: JSON.stringify({ text: "Remember 7" }),
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get("x-request-id")).toBe("e2e-metrics-1");

    const konsoleAfter = await konsoleMetrics();
    const konuiAfter = await konuiMetrics();
    const moved = (after: Sample[], before: Sample[], name: string, labels: Record<string, string> = {}) =>
      ofValue(after, name, labels) - ofValue(before, name, labels);

    expect(moved(konsoleAfter, konsoleBefore, "konsole_turns_total", { outcome: "succeeded", mode: "hot" })).toBe(1);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_turns_started_total", { mode: "hot" })).toBe(1);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_turn_duration_seconds_count", { mode: "hot" })).toBe(1);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_turn_duration_seconds_sum", { mode: "hot" })).toBeGreaterThan(0);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_turn_ttfe_seconds_count", { mode: "hot" })).toBe(1);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_turn_cost_usd_total")).toBeGreaterThan(0);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_turn_tokens_total", { kind: "output" })).toBeGreaterThan(0);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_hot_claimed_total")).toBe(1);
    expect(moved(konsoleAfter, konsoleBefore, "konsole_process_tokens_bound_total")).toBe(1);
    expect(ofValue(konsoleAfter, "konsole_hot_processes", { pooled: "false" })).toBe(1);
    expect(ofValue(konsoleAfter, "konsole_processes_live")).toBeGreaterThanOrEqual(1);
    expect(ofValue(konsoleAfter, "konsole_process_tokens_issued_total", { pooled: "true" })).toBeGreaterThanOrEqual(1);
    expect(ofValue(konsoleAfter, "konsole_slot_wait_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(figure(konsoleAfter, "konsole_queue_depth")).toBe(0);

    expect(moved(konuiAfter, konuiBefore, "konui_turns_total", { agent: "claude", outcome: "succeeded", mode: "hot" })).toBe(1);
    expect(moved(konuiAfter, konuiBefore, "konui_turn_cost_usd_total", { agent: "claude" })).toBeGreaterThan(0);
    expect(moved(konuiAfter, konuiBefore, "konui_turn_tokens_total", { agent: "claude", kind: "output" })).toBeGreaterThan(0);
    expect(moved(konuiAfter, konuiBefore, "konui_tokens_bound_total", { kind: "process" })).toBe(1);
    expect(ofValue(konuiAfter, "konui_tokens_issued_total", { kind: "process", pooled: "true" })).toBeGreaterThanOrEqual(1);
    expect(ofValue(konuiAfter, "konui_process_tokens_live", { pooled: "false" })).toBe(1);

    // A turn that hits the cap counts under its own outcome on both sides.
    const capped = await stack.call("PUT", "/api/agents/claude/guardrails", { max_turns_task: 1 });
    expect(capped.status).toBe(200);
    expect((await stack.send(sessionId, "loop please")).message.status).toBe("failed");
    expect(moved(await konsoleMetrics(), konsoleAfter, "konsole_turns_total", { outcome: "max_turns" })).toBe(1);
    expect(moved(await konuiMetrics(), konuiAfter, "konui_turns_total", { agent: "claude", outcome: "max_turns" })).toBe(1);

    // Dashboard sockets: open one, then close it.
    const sockets = async () => ofValue(await konuiMetrics(), "konui_live_sockets");
    const live = await DashboardStream.open(stack.konui.url, stack.token);
    await eventually("an open socket counted", async () => ((await sockets()) === 1 ? true : undefined));
    live.close();
    await eventually("the socket closed", async () => ((await sockets()) === 0 ? true : undefined));
    expect(ofValue(await konuiMetrics(), "konui_live_sockets_closed_total", { cause: "client" })).toBe(1);

    expect(badEvents).toEqual([]);
  });
});
