import type { MessageTokens } from "../claude/pricing.ts";

/** The tools whose calls change a file, and the input field naming it. */
const EDITING_TOOLS: Readonly<Record<string, string>> = {
  Edit: "file_path",
  Write: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
};

const PROMPT_CHARS = 200;

export interface MessageUsageFact {
  /** `message.id:requestId` (the CLI writes one message several times); undefined when either is missing. */
  key: string | undefined;
  model: string;
  tokens: MessageTokens;
  sidechain: boolean;
}

export interface ToolUseFact {
  id: string | undefined;
  name: string;
  /** The path an editing tool changed. */
  target: string | undefined;
}

/** What one transcript line says that the observer keeps. */
export interface LineFacts {
  sessionId: string | undefined;
  /** ISO instant, UTC. */
  at: string | undefined;
  cwd: string | undefined;
  gitBranch: string | undefined;
  summary: string | undefined;
  prompt: string | undefined;
  usage: MessageUsageFact | undefined;
  toolUses: ToolUseFact[];
}

export type LineVerdict = { kind: "facts"; facts: LineFacts } | { kind: "skip" } | { kind: "malformed" };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);
const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

// Lines worth parsing: usage, prompts, titles. The rest (attachments, request shapes and blobs,
// cost states …) is only checked to be an object, so a large history is not parsed twice over.
const WANTED = [Buffer.from('"usage"'), Buffer.from('"type":"user"'), Buffer.from('"type":"summary"'), Buffer.from('"type":"custom-title"')];
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function instantOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function tokensOf(usage: Json): MessageTokens | undefined {
  if (typeof usage.input_tokens !== "number" || typeof usage.output_tokens !== "number") return undefined;
  const creation = isObject(usage.cache_creation) ? usage.cache_creation : {};
  const written = count(usage.cache_creation_input_tokens);
  // As the CLI reads it: the 1-hour part (at most the whole), the rest at the 5-minute rate.
  const oneHour = Math.min(count(creation.ephemeral_1h_input_tokens), written);
  return {
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    cacheRead: count(usage.cache_read_input_tokens),
    cacheWrite5m: written - oneHour,
    cacheWrite1h: oneHour,
  };
}

function usageOf(line: Json, message: Json): MessageUsageFact | undefined {
  if (!isObject(message.usage)) return undefined;
  const model = str(message.model);
  if (!model || model === "<synthetic>") return undefined;
  const tokens = tokensOf(message.usage);
  if (!tokens) return undefined;
  const messageId = str(message.id);
  // Older CLIs write `requestId`; 2.1.x writes `requestRef` (the id of its `api-request` record).
  const requestId = str(line.requestId) ?? str(line.requestRef);
  return {
    key: messageId && requestId ? `${messageId}:${requestId}` : undefined,
    model,
    tokens,
    sidechain: line.isSidechain === true,
  };
}

function toolUsesOf(message: Json): ToolUseFact[] {
  if (!Array.isArray(message.content)) return [];
  const uses: ToolUseFact[] = [];
  for (const block of message.content) {
    if (!isObject(block) || block.type !== "tool_use") continue;
    const name = str(block.name);
    if (!name) continue;
    const field = EDITING_TOOLS[name];
    const input = isObject(block.input) ? block.input : {};
    uses.push({ id: str(block.id), name, target: field ? str(input[field]) : undefined });
  }
  return uses;
}

function promptOf(line: Json, message: Json): string | undefined {
  if (line.isMeta === true || line.isSidechain === true || line.isCompactSummary === true) return undefined;
  const content = message.content;
  let text: string | undefined;
  if (typeof content === "string") text = content;
  else if (Array.isArray(content)) {
    const first = content.find((block): block is Json => isObject(block) && block.type === "text" && typeof block.text === "string");
    text = first ? String(first.text) : undefined;
  }
  const trimmed = text?.trim();
  // Slash commands, command output and reminders are wrapped in tags; they are not the prompt.
  if (!trimmed || trimmed.startsWith("<")) return undefined;
  return trimmed.length > PROMPT_CHARS ? `${trimmed.slice(0, PROMPT_CHARS - 1)}…` : trimmed;
}

function lastNonSpace(line: Buffer): number {
  let end = line.length - 1;
  while (end >= 0 && (line[end] === 0x20 || line[end] === 0x0d || line[end] === 0x09)) end--;
  return end;
}

/** Reads one line of a transcript (without its newline). */
export function readTranscriptLine(line: Buffer): LineVerdict {
  const end = lastNonSpace(line);
  if (end < 0) return { kind: "skip" };
  if (line[0] !== OPEN_BRACE || line[end] !== CLOSE_BRACE) return { kind: "malformed" };
  if (!WANTED.some((needle) => line.includes(needle))) return { kind: "skip" };
  let value: unknown;
  try {
    value = JSON.parse(line.toString("utf8"));
  } catch {
    return { kind: "malformed" };
  }
  if (!isObject(value)) return { kind: "malformed" };
  const message = isObject(value.message) ? value.message : undefined;
  const type = value.type;
  return {
    kind: "facts",
    facts: {
      sessionId: str(value.sessionId),
      at: instantOf(value.timestamp),
      cwd: str(value.cwd),
      gitBranch: str(value.gitBranch),
      summary: type === "summary" ? str(value.summary) : type === "custom-title" ? str(value.customTitle) : undefined,
      prompt: type === "user" && message ? promptOf(value, message) : undefined,
      usage: message ? usageOf(value, message) : undefined,
      toolUses: type === "assistant" && message ? toolUsesOf(message) : [],
    },
  };
}
