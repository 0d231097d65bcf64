// What the Claude CLI sends to POST /v1/messages, and questions scenarios ask about it.

export interface ApiContentBlock {
  type: string;
  [field: string]: unknown;
}

export interface ApiMessage {
  role: string;
  content: string | ApiContentBlock[];
}

export interface ApiTool {
  name: string;
  [field: string]: unknown;
}

export interface MessagesRequest {
  model: string;
  messages: ApiMessage[];
  system: string | ApiContentBlock[] | undefined;
  tools: ApiTool[];
  stream: boolean;
  maxTokens: number | undefined;
  /** The whole parsed body, for fields this type does not name. */
  raw: Record<string, unknown>;
}

export interface ToolResult {
  toolUseId: string;
  text: string;
  isError: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBlock(value: unknown): value is ApiContentBlock {
  return isRecord(value) && typeof value.type === "string";
}

function parseContent(value: unknown): string | ApiContentBlock[] | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every(isBlock)) return value;
  return undefined;
}

function parseMessage(value: unknown): ApiMessage | undefined {
  if (!isRecord(value) || typeof value.role !== "string") return undefined;
  const content = parseContent(value.content);
  return content === undefined ? undefined : { role: value.role, content };
}

/** Returns the request, or a reason it is not a Messages API request body. */
export function parseMessagesRequest(body: unknown): MessagesRequest | string {
  if (!isRecord(body)) return "body must be a JSON object";
  if (typeof body.model !== "string") return "model: field required";
  if (!Array.isArray(body.messages)) return "messages: field required";
  const messages: ApiMessage[] = [];
  for (const [index, value] of body.messages.entries()) {
    const message = parseMessage(value);
    if (!message) return `messages.${index}: expected a role and content`;
    messages.push(message);
  }
  const tools = Array.isArray(body.tools)
    ? body.tools.filter((tool): tool is ApiTool => isRecord(tool) && typeof tool.name === "string")
    : [];
  return {
    model: body.model,
    messages,
    system: parseContent(body.system),
    tools,
    stream: body.stream === true,
    maxTokens: typeof body.max_tokens === "number" ? body.max_tokens : undefined,
    raw: body,
  };
}

const systemReminder = /<system-reminder>[\s\S]*?<\/system-reminder>/g;

/** The text a person typed in one user message, without the CLI's injected reminders. */
export function typedText(message: ApiMessage): string {
  const texts =
    typeof message.content === "string"
      ? [message.content]
      : message.content.flatMap((block) =>
          block.type === "text" && typeof block.text === "string" ? [block.text] : [],
        );
  return texts
    .map((text) => text.replace(systemReminder, "").trim())
    .filter((text) => text.length > 0)
    .join("\n");
}

/** Every non-empty typed text of the conversation's user messages, oldest first. */
export function userPrompts(request: MessagesRequest): string[] {
  return request.messages
    .filter((message) => message.role === "user")
    .map(typedText)
    .filter((text) => text.length > 0);
}

export function lastUserMessage(request: MessagesRequest): ApiMessage | undefined {
  return request.messages.findLast((message) => message.role === "user");
}

function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .flatMap((part: unknown) => (isRecord(part) && typeof part.text === "string" ? [part.text] : []))
    .join("\n");
}

export function toolResultsOf(message: ApiMessage | undefined): ToolResult[] {
  if (!message || typeof message.content === "string") return [];
  return message.content.flatMap((block) =>
    block.type === "tool_result" && typeof block.tool_use_id === "string"
      ? [{ toolUseId: block.tool_use_id, text: toolResultText(block.content), isError: block.is_error === true }]
      : [],
  );
}

/** Tool results the CLI sends back in this request (its answer to our last tool_use). */
export function pendingToolResults(request: MessagesRequest): ToolResult[] {
  return toolResultsOf(lastUserMessage(request));
}

/** Every tool result anywhere in the conversation, oldest first. */
export function allToolResults(request: MessagesRequest): ToolResult[] {
  return request.messages.filter((message) => message.role === "user").flatMap(toolResultsOf);
}

function systemText(request: MessagesRequest): string {
  const { system } = request;
  if (system === undefined) return "";
  if (typeof system === "string") return system;
  return system.map((block) => (typeof block.text === "string" ? block.text : "")).join("\n");
}

/**
 * A request the CLI makes beside the conversation (a title, a summary, a quota probe …)
 * rather than a step of the agent loop: it offers no tools, or it is not the agent's prompt.
 */
export function isSideRequest(request: MessagesRequest): boolean {
  if (request.tools.length === 0) return true;
  return !/Claude (agent|Code)/.test(systemText(request));
}
