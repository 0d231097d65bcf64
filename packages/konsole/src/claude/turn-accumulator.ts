import type { AssistantEvent, ClaudeLine, ResultEvent, TokenCounts, Usage } from "@kon/protocol";

export interface AssistantMessageUsage {
  model: string | null;
  tokens: TokenCounts;
}

/** The CLI's `usage` (snake_case, fields optional) as token counts. */
export function tokensOf(usage: Usage | undefined): TokenCounts {
  return {
    input: usage?.input_tokens ?? 0,
    output: usage?.output_tokens ?? 0,
    cacheRead: usage?.cache_read_input_tokens ?? 0,
    cacheCreation: usage?.cache_creation_input_tokens ?? 0,
  };
}

/**
 * Everything one prompt's output says, gathered line by line: reply text, usage per
 * assistant message, tool timings, model, session id. Knows nothing of processes or storage.
 */
export class TurnAccumulator {
  readonly promptWrittenAt: number;
  firstOutputAt: number | null = null;
  lastLineAt: number;
  claudeSessionId: string | null = null;
  model: string | null = null;
  result: ResultEvent | null = null;
  compactions = 0;
  toolCallCount = 0;
  toolMs = 0;
  /** Model turns whose tool calls all came back: the CLI's `--max-turns` counts these. */
  completedToolRounds = 0;
  /** Usage per assistant message id; the CLI repeats a message once per content block. */
  readonly messageUsage = new Map<string, AssistantMessageUsage>();
  private lastMessageId: string | null = null;
  private readonly texts: string[] = [];
  private readonly pendingTools = new Set<string>();
  private toolsBusySince: number | null = null;
  private anonymousMessages = 0;

  constructor(promptWrittenAt: number) {
    this.promptWrittenAt = promptWrittenAt;
    this.lastLineAt = promptWrittenAt;
  }

  observe(line: ClaudeLine, at: number): void {
    this.lastLineAt = at;
    if (line.kind !== "event") return;
    const event = line.event;
    if ("session_id" in event && typeof event.session_id === "string") this.claudeSessionId = event.session_id;
    switch (event.type) {
      case "system":
        if (event.subtype === "init" && "model" in event && typeof event.model === "string") this.model ??= event.model;
        if (event.subtype === "compact_boundary") this.compactions += 1;
        return;
      case "stream_event":
        this.firstOutputAt ??= at;
        return;
      case "assistant":
        this.firstOutputAt ??= at;
        this.observeAssistant(event, at);
        return;
      case "user":
        this.observeToolResults(event.message.content, at);
        return;
      case "result":
        this.result = event;
        this.settleTools(at);
        return;
      default:
        return;
    }
  }

  private observeAssistant(event: AssistantEvent, at: number): void {
    const message = event.message;
    if (message.model) this.model = message.model;
    const id = message.id ?? `anonymous-${++this.anonymousMessages}`;
    if (event.parent_tool_use_id == null) {
      this.messageUsage.set(id, { model: message.model ?? this.model, tokens: tokensOf(message.usage) });
      this.lastMessageId = id;
    }
    for (const block of message.content) {
      if (block.type === "text" && "text" in block && typeof block.text === "string" && event.parent_tool_use_id == null) {
        this.texts.push(block.text);
      }
      if (block.type === "tool_use" && "id" in block && typeof block.id === "string") {
        if (!this.pendingTools.has(block.id)) this.toolCallCount += 1;
        if (this.pendingTools.size === 0) this.toolsBusySince = at;
        this.pendingTools.add(block.id);
      }
    }
  }

  private observeToolResults(content: unknown, at: number): void {
    if (!Array.isArray(content)) return;
    const waiting = this.pendingTools.size;
    for (const block of content as unknown[]) {
      if (typeof block !== "object" || block === null) continue;
      const { type, tool_use_id: toolUseId } = block as { type?: unknown; tool_use_id?: unknown };
      if (type !== "tool_result" || typeof toolUseId !== "string") continue;
      this.pendingTools.delete(toolUseId);
    }
    if (this.pendingTools.size > 0) return;
    if (waiting > 0) this.completedToolRounds += 1;
    this.settleTools(at);
  }

  private settleTools(at: number): void {
    if (this.toolsBusySince !== null) this.toolMs += at - this.toolsBusySince;
    this.toolsBusySince = null;
    this.pendingTools.clear();
  }

  /** Closes any tool interval still open (the process ended mid-tool). */
  finish(at: number): void {
    this.settleTools(at);
  }

  /** What the process said, as the reply of a turn that has no `result`. */
  get text(): string {
    return this.texts.join("\n\n");
  }

  /** Whether the model produced anything at all. */
  get saidAnything(): boolean {
    return this.firstOutputAt !== null;
  }

  get assistantMessageCount(): number {
    return this.messageUsage.size;
  }

  get lastAssistantUsage(): AssistantMessageUsage | null {
    return this.lastMessageId === null ? null : (this.messageUsage.get(this.lastMessageId) ?? null);
  }

  /** The sum of the usage every assistant message reported. */
  get usageTotals(): TokenCounts {
    const total: TokenCounts = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
    for (const { tokens } of this.messageUsage.values()) {
      total.input += tokens.input;
      total.output += tokens.output;
      total.cacheRead += tokens.cacheRead;
      total.cacheCreation += tokens.cacheCreation;
    }
    return total;
  }
}
