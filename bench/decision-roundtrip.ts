// What a tool call answered by the agent's policy costs against one the CLI never asks about:
//   1. konsole's share: the real recorded `can_use_tool` line (fixture permission-allow.jsonl)
//      from its arrival (parsed as stdout lines are) to the `control_response` written to stdin,
//      through the turn's PermissionGate with an allow rule and a real SQLite journal.
//   2. end to end with the real CLI through konsole (instant Messages API stand-in): turns of
//      CALLS Bash calls (`touch`), interleaved, with Bash in `--allowedTools` (never asked) vs
//      outside it with a policy allow rule (asked over stdio, answered by konsole). Each call is
//      timed in-process on konsole's journal from its `tool_use` line to its `tool_result`.
// Prints p50s and the added ms per tool call (goal: < 5 ms at p50).
//   tsx bench/decision-roundtrip.ts [rounds=5] [calls=10]

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { textReply, toolResultsOf, toolUseReply, typedText, type Scenario } from "@kon/e2e/support/messages-api";
import type { ClaudeProcess } from "@kon/konsole/claude/claude-process";
import { openDatabase } from "@kon/konsole/journal/database";
import { TurnJournal } from "@kon/konsole/journal/turn-journal";
import { silentLogger } from "@kon/konsole/logger";
import { PermissionGate } from "@kon/konsole/supervisor/permission-gate";
import { parseClaudeLine, type JournalEntry, type StartTurnRequest, type Turn } from "@kon/protocol";
import { median, startBenchKonsole } from "./support/bench-konsole.ts";

const rounds = Number(process.argv[2] ?? 5);
const calls = Number(process.argv[3] ?? 10);
const p = (values: readonly number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? 0;
const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;

// ---- 1. konsole's share ----

function gateShare(iterations: number): number[] {
  const fixture = path.resolve(import.meta.dirname, "../packages/protocol/test/fixtures/claude-cli-2.1.329/permission-allow.jsonl");
  const raw = readFileSync(fixture, "utf8").split("\n").find((line) => line.includes('"subtype":"can_use_tool"'));
  if (!raw) throw new Error("no can_use_tool line in the fixture");
  const dir = mkdtempSync(path.join(tmpdir(), "bench-decisions-"));
  const database = openDatabase(dir);
  const journal = new TurnJournal(database.db);
  const turnId = "00000000-0000-4000-8000-000000000001";
  let writtenAt = 0;
  const stdin = { write: () => ((writtenAt = performance.now()), true) } as unknown as ClaudeProcess;
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const gate = new PermissionGate({
      permissions: { allow: ["Bash(git status:*)"], deny: ["Bash(rm:*)"], ask: true },
      journal: (payload) => journal.append(turnId, "bench", payload),
      logger: silentLogger,
    });
    gate.bind(stdin, "/srv/agents/session-1");
    const began = performance.now();
    gate.observe(parseClaudeLine(raw));
    samples.push(writtenAt - began);
    journal.append(turnId, "bench", { type: "claude", line: parseClaudeLine(raw) });
  }
  database.close();
  rmSync(dir, { recursive: true, force: true });
  return samples.slice(Math.floor(iterations / 10));
}

const share = gateShare(3000);
console.log(`konsole's share (can_use_tool line → control_response written), ${share.length} samples: p50 ${fmt(p(share, 0.5))}, p99 ${fmt(p(share, 0.99))}`);

// ---- 2. end to end ----

/** `calls` Bash calls per prompt, one per model request, then text. */
const scenario: Scenario = (request) => {
  const promptAt = request.messages.findLastIndex((message) => message.role === "user" && typedText(message).length > 0);
  const results = request.messages.slice(promptAt + 1).flatMap((message) => (message.role === "user" ? toolResultsOf(message) : []));
  return results.length < calls ? toolUseReply("Bash", { command: "touch bench.txt", description: "touch" }) : textReply("done");
};

const bench = await startBenchKonsole(scenario, { KONSOLE_ALLOWED_TOOLS: "Read" });
const toolUseAt = new Map<string, number>();
const perCall = new Map<string, number[]>();
/** Policy side: from the tool_use line to the CLI's can_use_tool for it (the CLI's own work before it asks). */
const beforeAsk: number[] = [];
const unsubscribe = bench.konsole.journal.subscribe((entry: JournalEntry) => {
  const at = performance.now();
  if (entry.payload.type !== "claude" || entry.payload.line.kind !== "event") return;
  const event = entry.payload.line.event;
  if (event.type === "control_request" && event.request.subtype === "can_use_tool") {
    const started = toolUseAt.get(String(event.request.tool_use_id));
    if (started !== undefined) beforeAsk.push(at - started);
  }
  const blocks = (event.type === "assistant" || event.type === "user") && Array.isArray(event.message.content) ? (event.message.content as Record<string, unknown>[]) : [];
  for (const block of blocks) {
    if (block.type === "tool_use" && typeof block.id === "string") toolUseAt.set(block.id, at);
    if (block.type === "tool_result" && typeof block.tool_use_id === "string") {
      const started = toolUseAt.get(block.tool_use_id);
      if (started !== undefined) perCall.set(entry.sessionId, [...(perCall.get(entry.sessionId) ?? []), at - started]);
    }
  }
});

const sides: Record<"allowedTools" | "policy", Partial<StartTurnRequest>> = {
  allowedTools: { allowedTools: ["Bash"] },
  policy: { allowedTools: ["Read"], permissions: { allow: ["Bash(touch:*)"], deny: [], ask: true } },
};
const samples: Record<keyof typeof sides, number[]> = { allowedTools: [], policy: [] };
try {
  for (let round = 0; round <= rounds; round++) {
    for (const side of round % 2 === 0 ? (["allowedTools", "policy"] as const) : (["policy", "allowedTools"] as const)) {
      const sessionId = `${side}-${round}`;
      const response = await bench.call("POST", `/sessions/${sessionId}/turns?wait=true`, { userId: "bench", text: "touch please", maxTurns: calls + 2, ...sides[side] });
      const turn = (await response.json()) as Turn;
      if (turn.status !== "succeeded") throw new Error(`${side}: turn ${turn.status} ${turn.error?.message ?? ""}`);
      const timed = perCall.get(sessionId) ?? [];
      if (timed.length !== calls) throw new Error(`${side}: ${timed.length} of ${calls} tool calls timed`);
      // Round 0 warms both sides up.
      if (round > 0) samples[side].push(...timed);
    }
  }
} finally {
  unsubscribe();
  await bench.stop();
}
const allowed = median(samples.allowedTools);
const policy = median(samples.policy);
console.log(`per tool call, tool_use → tool_result, ${rounds} rounds x ${calls} calls per side, interleaved:`);
console.log(`  Bash in --allowedTools (never asked):  p50 ${fmt(allowed)}`);
console.log(`  asked, allowed by a policy rule:       p50 ${fmt(policy)}`);
console.log(`  added per tool call at p50: ${fmt(policy - allowed)} (goal < 5 ms); ratio ${(policy / allowed).toFixed(3)}`);
console.log(`  of the asked calls: tool_use → can_use_tool (the CLI deciding to ask) p50 ${fmt(median(beforeAsk))}; konsole's answer p50 ${fmt(p(share, 0.5))}`);
