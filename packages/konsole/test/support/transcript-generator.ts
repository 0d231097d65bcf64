// Writes Claude Code transcripts the test harness does not produce: several models, messages
// written once per content block (same message id and request id), 5-minute and 1-hour cache
// writes, sub-agent (sidechain) files, summaries, editing tool calls, a line without a request
// id, malformed lines and a partial last line. Deterministic for a seed; sized by bytes.

import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";

export interface CorpusOptions {
  /** A config dir: files go to `<dir>/projects/…`. */
  dir: string;
  /** Stop once about this many bytes are written. */
  targetBytes: number;
  seed?: number;
  /** First day (UTC) of activity; sessions spread over `days` days. */
  startDay?: string;
  days?: number;
  /** Bytes of non-usage lines (attachments, request blobs) per message, like real transcripts. Default 3000. */
  paddingBytes?: number;
}

export interface CorpusSummary {
  files: number;
  bytes: number;
  sessions: number;
  /** Distinct API messages with usage. */
  messages: number;
  malformedLines: number;
}

/** Models the generator uses; the last is one ccusage's offline price table does not know. */
export const GENERATED_MODELS = [
  "claude-sonnet-4-5-20250929",
  "claude-opus-4-1-20250805",
  "claude-haiku-4-5-20251001",
  "claude-opus-4-5-20251101",
  "claude-opus-5-5",
] as const;

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uuidFrom = (random: () => number): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const EDITS = [
  ["Edit", "file_path", "src/app.ts"],
  ["Write", "file_path", "src/new-module.ts"],
  ["MultiEdit", "file_path", "src/app.ts"],
  ["NotebookEdit", "notebook_path", "analysis.ipynb"],
  ["Bash", "command", "npm test"],
  ["Read", "file_path", "README.md"],
] as const;

interface Writer {
  line(value: unknown): void;
  raw(text: string): void;
}

export function generateCorpus(options: CorpusOptions): CorpusSummary {
  const random = rng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const start = Date.parse(`${options.startDay ?? "2026-10-01"}T00:00:00Z`);
  const days = options.days ?? 5;
  const padding = "x".repeat(options.paddingBytes ?? 3000);
  const summary: CorpusSummary = { files: 0, bytes: 0, sessions: 0, messages: 0, malformedLines: 0 };
  let messageCounter = 0;

  const openFile = (file: string): Writer & { close(): void } => {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(file, "w");
    summary.files++;
    const write = (text: string) => {
      summary.bytes += writeSync(fd, text);
    };
    return { line: (value) => write(`${JSON.stringify(value)}\n`), raw: write, close: () => closeSync(fd) };
  };

  while (summary.bytes < options.targetBytes) {
    const index = summary.sessions++;
    const project = `-home-dev-project-${index % 7}`;
    const cwd = `/home/dev/project-${index % 7}`;
    const sessionId = uuidFrom(random);
    const model = pick(GENERATED_MODELS);
    const base = { sessionId, cwd, gitBranch: index % 3 === 0 ? "main" : `feature-${index % 5}`, version: "2.0.14", userType: "external" };
    let at = start + Math.floor(random() * days * 86_400_000);
    const stamp = () => new Date(at).toISOString();
    const file = openFile(path.join(options.dir, "projects", project, `${sessionId}.jsonl`));
    if (index % 4 === 0) file.line({ type: "summary", summary: `Generated session ${index}`, leafUuid: uuidFrom(random) });
    file.line({ ...base, type: "user", isSidechain: false, uuid: uuidFrom(random), timestamp: stamp(), message: { role: "user", content: `Task number ${index}: improve the code` } });
    const messages = int(2, 8);
    for (let m = 0; m < messages; m++) {
      at += int(5_000, 120_000);
      const id = `msg_gen_${++messageCounter}`;
      const oneHour = index % 5 === 0 && m === 0 ? int(1000, 20_000) : 0;
      const fiveMinute = int(0, 4000);
      const usage = {
        input_tokens: int(1, 5000),
        output_tokens: int(1, 3000),
        cache_read_input_tokens: int(0, 80_000),
        cache_creation_input_tokens: fiveMinute + oneHour,
        cache_creation: { ephemeral_5m_input_tokens: fiveMinute, ephemeral_1h_input_tokens: oneHour },
        service_tier: "standard",
      };
      const edit = pick(EDITS);
      const blocks = [
        { type: "thinking", thinking: "Thinking it over.", signature: "c2ln" },
        { type: "text", text: `Step ${m} of session ${index}.` },
        ...(m % 2 === 0 ? [{ type: "tool_use", id: `toolu_gen_${messageCounter}`, name: edit[0], input: { [edit[1]]: `${cwd}/${edit[2]}` } }] : []),
      ];
      // Older CLIs wrote no request id on some lines: each such line counts on its own (for ccusage too).
      const requestId = index % 11 === 3 && m === 1 ? undefined : `req_gen_${messageCounter}`;
      const lines = requestId ? blocks : blocks.slice(0, 1);
      for (const block of lines) {
        file.line({
          ...base,
          type: "assistant",
          isSidechain: false,
          uuid: uuidFrom(random),
          timestamp: stamp(),
          ...(requestId ? { requestId } : {}),
          message: { id, type: "message", role: "assistant", model, content: [block], stop_reason: null, usage },
        });
      }
      summary.messages++;
      file.line({ ...base, type: "attachment", uuid: uuidFrom(random), timestamp: stamp(), attachment: { type: "padding", text: padding } });
      if (blocks.at(-1)?.type === "tool_use") {
        file.line({ ...base, type: "user", isSidechain: false, uuid: uuidFrom(random), timestamp: stamp(), message: { role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_gen_${messageCounter}`, content: "ok" }] } });
      }
    }
    if (index % 6 === 2) {
      // A sub-agent's transcript beside its session.
      const agent = openFile(path.join(options.dir, "projects", project, sessionId, "subagents", `agent-${index}.jsonl`));
      for (let m = 0; m < 2; m++) {
        at += int(1000, 30_000);
        agent.line({
          ...base,
          type: "assistant",
          isSidechain: true,
          agentId: `a${index}`,
          uuid: uuidFrom(random),
          timestamp: stamp(),
          requestId: `req_gen_side_${index}_${m}`,
          message: { id: `msg_gen_side_${index}_${m}`, type: "message", role: "assistant", model: "claude-haiku-4-5-20251001", content: [{ type: "text", text: "sub-agent" }], usage: { input_tokens: int(1, 2000), output_tokens: int(1, 500), cache_read_input_tokens: int(0, 9000), cache_creation_input_tokens: 0 } },
        });
        summary.messages++;
      }
      agent.close();
    }
    if (index % 9 === 4) {
      file.raw("this line is not JSON at all\n");
      file.raw('{"type":"assistant","message":{"usage":{"input_tokens":5\n');
      summary.malformedLines += 2;
    }
    if (index % 13 === 7) file.raw('{"type":"assistant","message":{"id":"msg_partial"'); // the CLI is still writing it
    file.close();
  }
  return summary;
}
