// A running turn as konsole journals it: the turn snapshot, the CLI's stdout lines with partial
// messages (text deltas, two tool calls, their results), the `result` line and the finished
// snapshot, each after the pause the real CLI would leave. Also which journal entries can cause a
// given dashboard frame, so a frame's delivery delay is measured from the entry that caused it.

import { randomUUID } from "node:crypto";
import { parseClaudeLine, type DashboardServerFrame, type JournalPayload, type Turn } from "@kon/protocol";

export interface ScriptedEntry {
  /** Pause before this entry is journaled, as the CLI would leave it. */
  delayMs: number;
  payload: JournalPayload;
  /** Keys of the dashboard frames this entry can cause (see `frameKey`). */
  causes: readonly string[];
  /** Text pieces this entry adds to the reply: a progress frame ending with one of them came from it. */
  pieces: readonly string[];
}

const FIRST_TEXT = [
  "I'll start ",
  "by looking ",
  "at what changed ",
  "in the working tree, ",
  "then read the ",
  "failing test ",
  "to see which ",
  "assertion breaks.",
];

function secondText(): string[] {
  const parts: string[] = [];
  for (let step = 1; step <= 12; step++) {
    parts.push(`\n\nStep ${step}: `, `the handler in module ${step} `, `now checks input ${step} `, `before it writes (case ${step}).`);
  }
  return parts;
}

/**
 * The frame's identity for attribution: which kind of journal entry can have caused it. Read
 * leniently, so a frame from a konui that is behind the protocol is still attributed.
 */
export function frameKey(frame: DashboardServerFrame | Record<string, unknown>): string {
  const loose = frame as { type?: unknown; text?: unknown; status?: unknown; call?: { id?: unknown; status?: unknown }; message?: { role?: unknown } };
  switch (loose.type) {
    case "progress":
      return `progress:${String(loose.text)}`;
    case "tool":
      return `tool:${String(loose.call?.id)}:${loose.call?.status === "running" ? "running" : "done"}`;
    case "turn":
      return `turn:${String(loose.status)}`;
    case "message":
      return `message:${String(loose.message?.role)}`;
    default:
      return String(loose.type);
  }
}

/** The journal entries of one turn of `turn.sessionId`, from running to succeeded. */
export function runningTurnScript(turn: Turn): ScriptedEntry[] {
  const sessionId = randomUUID();
  const entries: ScriptedEntry[] = [];
  const line = (delayMs: number, value: Record<string, unknown>, causes: string[] = [], pieces: string[] = []) =>
    entries.push({
      delayMs,
      payload: { type: "claude", line: parseClaudeLine(JSON.stringify({ ...value, session_id: sessionId, uuid: randomUUID() })) },
      causes,
      pieces,
    });
  const snapshot = (delayMs: number, state: Turn, causes: string[]) => entries.push({ delayMs, payload: { type: "turn", turn: state }, causes, pieces: [] });
  const stream = (delayMs: number, event: Record<string, unknown>, causes: string[] = [], pieces: string[] = []) =>
    line(delayMs, { type: "stream_event", event, parent_tool_use_id: null }, causes, pieces);
  const usage = { input_tokens: 1200, output_tokens: 180, cache_read_input_tokens: 9000, cache_creation_input_tokens: 400 };
  const assistant = (delayMs: number, id: string, block: Record<string, unknown>, causes: string[], pieces: string[] = []) =>
    line(delayMs, {
      type: "assistant",
      message: { id, type: "message", role: "assistant", model: "claude-opus-5-5", content: [block], stop_reason: null, stop_sequence: null, usage },
      parent_tool_use_id: null,
    }, causes, pieces);
  const session = ["session"];

  const startedAt = new Date().toISOString();
  const running: Turn = { ...turn, status: "running", startedAt, pid: 4242 };
  snapshot(0, running, ["turn:running", ...session]);
  line(40, { type: "system", subtype: "init", cwd: "/srv/agents/session-1", tools: ["Bash", "Read", "Edit"], model: "claude-opus-5-5" }, ["turn:running", ...session]);

  const textBlock = (messageId: string, index: number, parts: string[]) => {
    stream(300, { type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const part of parts) {
      stream(15, { type: "content_block_delta", index, delta: { type: "text_delta", text: part } }, [`progress:${part}`], [part]);
    }
    const text = parts.join("");
    assistant(5, messageId, { type: "text", text }, [`progress:${text}`], [text]);
    stream(1, { type: "content_block_stop", index });
    return text;
  };
  const toolCall = (messageId: string, index: number, name: string, input: Record<string, unknown>, result: string, runMs: number) => {
    const id = `toolu_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
    const running = [`tool:${id}:running`];
    stream(200, { type: "content_block_start", index, content_block: { type: "tool_use", id, name, input: {} } }, running);
    const json = JSON.stringify(input);
    for (let at = 0; at < json.length; at += 24) {
      stream(15, { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: json.slice(at, at + 24) } });
    }
    assistant(5, messageId, { type: "tool_use", id, name, input }, running);
    stream(1, { type: "content_block_stop", index });
    line(runMs, {
      type: "user",
      message: { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: result, is_error: false }] },
      parent_tool_use_id: null,
      timestamp: new Date().toISOString(),
      tool_use_result: { stdout: result, stderr: "", interrupted: false, isImage: false },
    }, [`tool:${id}:done`]);
  };

  stream(250, { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "claude-opus-5-5", content: [], usage } });
  const first = textBlock("msg_1", 0, FIRST_TEXT);
  toolCall("msg_1", 1, "Bash", { command: "git status --short && git diff --stat", description: "Show changed files" }, " M src/handler.ts\n M test/handler.test.ts\n 2 files changed, 14 insertions(+), 3 deletions(-)", 180);
  stream(1, { type: "message_stop" });
  stream(250, { type: "message_start", message: { id: "msg_2", type: "message", role: "assistant", model: "claude-opus-5-5", content: [], usage } });
  toolCall("msg_2", 0, "Read", { file_path: "/srv/agents/session-1/test/handler.test.ts" }, "import { describe, it, expect } from 'vitest';\n".repeat(40), 60);
  stream(1, { type: "message_stop" });
  stream(250, { type: "message_start", message: { id: "msg_3", type: "message", role: "assistant", model: "claude-opus-5-5", content: [], usage } });
  const second = textBlock("msg_3", 0, secondText());
  stream(5, { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage });
  stream(1, { type: "message_stop" });

  const done = ["turn:succeeded", "message:assistant", ...session];
  line(10, { type: "result", subtype: "success", is_error: false, duration_ms: 2900, duration_api_ms: 2100, num_turns: 3, result: second, stop_reason: "end_turn", total_cost_usd: 0.0412, usage }, done);
  snapshot(5, {
    ...running,
    status: "succeeded",
    reply: `${first}${second}`,
    claudeSessionId: sessionId,
    figures: {
      totalMs: 2950,
      ttfeMs: 610,
      modelMs: 2050,
      toolMs: 240,
      toolCallCount: 2,
      costUsd: 0.0412,
      costSource: "cli",
      tokens: { input: 3600, output: 540, cacheRead: 27000, cacheCreation: 1200 },
      model: "claude-opus-5-5",
      numTurns: 3,
      lastCacheRatio: 0.047,
      compactions: 0,
    },
    finishedAt: new Date().toISOString(),
  }, done);
  return entries;
}

/**
 * Which entry a frame came from: among the entries that can cause it, the last one sent before it
 * arrived (so an ambiguous frame is charged the shortest delay it can have). A progress frame
 * that joins several text pieces is matched by the piece it ends with.
 */
export function sourceOf(entries: readonly ScriptedEntry[], sentAt: readonly number[], key: string, text: string | undefined, arrivedAt: number): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < sentAt.length; i++) {
    const sent = sentAt[i];
    const entry = entries[i];
    if (sent === undefined || entry === undefined || sent > arrivedAt) continue;
    const matches = entry.causes.includes(key) || (text !== undefined && entry.pieces.some((piece) => text.endsWith(piece)));
    if (matches) found = i;
  }
  return found;
}
