// Transcript lines shaped like the CLI writes them, for the observer's tests.

export interface UsageInput {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
}

export interface AssistantLineOptions {
  sessionId: string;
  messageId: string;
  requestId?: string;
  /** 2.1.x writes the id of its `api-request` record as `requestRef`. */
  requestRef?: string;
  model?: string;
  at: string;
  usage?: UsageInput;
  sidechain?: boolean;
  content?: unknown[];
  cwd?: string;
}

export function assistantLine(options: AssistantLineOptions): string {
  const usage = options.usage ?? {};
  const write5m = usage.cacheWrite5m ?? 0;
  const write1h = usage.cacheWrite1h ?? 0;
  return JSON.stringify({
    parentUuid: null,
    isSidechain: options.sidechain ?? false,
    type: "assistant",
    sessionId: options.sessionId,
    cwd: options.cwd ?? "/work/project",
    gitBranch: "main",
    timestamp: options.at,
    ...(options.requestId ? { requestId: options.requestId } : {}),
    ...(options.requestRef ? { requestRef: options.requestRef } : {}),
    message: {
      id: options.messageId,
      type: "message",
      role: "assistant",
      model: options.model ?? "claude-sonnet-4-5-20250929",
      content: options.content ?? [{ type: "text", text: "ok" }],
      usage: {
        input_tokens: usage.input ?? 10,
        output_tokens: usage.output ?? 5,
        cache_read_input_tokens: usage.cacheRead ?? 0,
        cache_creation_input_tokens: write5m + write1h,
        cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
      },
    },
  });
}

export function userLine(sessionId: string, at: string, content: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: "user", sessionId, cwd: "/work/project", gitBranch: "main", timestamp: at, message: { role: "user", content }, ...extra });
}

export function summaryLine(summary: string): string {
  return JSON.stringify({ type: "summary", summary, leafUuid: "leaf-1" });
}

export const toolUse = (id: string, name: string, input: Record<string, unknown>) => ({ type: "tool_use", id, name, input });
