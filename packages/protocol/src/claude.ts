import { z } from "zod";

// Schemas for the Claude CLI's stream-json lines. They are tolerant on purpose: the CLI adds
// fields every release, so every object passes unknown keys through.

const count = z.number().nonnegative();

export const Usage = z.looseObject({
  input_tokens: count.optional(),
  output_tokens: count.optional(),
  cache_read_input_tokens: count.nullish(),
  cache_creation_input_tokens: count.nullish(),
});
export type Usage = z.infer<typeof Usage>;

export const ModelUsageEntry = z.looseObject({
  inputTokens: count.default(0),
  outputTokens: count.default(0),
  cacheReadInputTokens: count.default(0),
  cacheCreationInputTokens: count.default(0),
  costUSD: z.number().optional(),
  contextWindow: count.optional(),
  maxOutputTokens: count.optional(),
});
export type ModelUsageEntry = z.infer<typeof ModelUsageEntry>;

export const ModelUsage = z.record(z.string(), ModelUsageEntry);
export type ModelUsage = z.infer<typeof ModelUsage>;

export const TextBlock = z.looseObject({ type: z.literal("text"), text: z.string() });
export type TextBlock = z.infer<typeof TextBlock>;

export const ThinkingBlock = z.looseObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string().optional(),
});
export type ThinkingBlock = z.infer<typeof ThinkingBlock>;

export const ToolUseBlock = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
export type ToolUseBlock = z.infer<typeof ToolUseBlock>;

export const ToolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.unknown())]).optional(),
  is_error: z.boolean().optional(),
});
export type ToolResultBlock = z.infer<typeof ToolResultBlock>;

export const ImageMediaType = z.enum(["image/jpeg", "image/png", "image/gif", "image/webp"]);
export type ImageMediaType = z.infer<typeof ImageMediaType>;

/** An image for a user message: what konui sends konsole and konsole turns into an `image` block. */
export const ImageAttachment = z.object({
  mediaType: ImageMediaType,
  /** base64 without a data: prefix */
  data: z.string().min(1),
});
export type ImageAttachment = z.infer<typeof ImageAttachment>;

export const ImageBlock = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({
    type: z.literal("base64"),
    media_type: ImageMediaType,
    data: z.string(),
  }),
});
export type ImageBlock = z.infer<typeof ImageBlock>;

/** A block of a type this version does not know yet; kept as it came. */
export const OtherBlock = z.looseObject({ type: z.string() });
export type OtherBlock = z.infer<typeof OtherBlock>;

export const ContentBlock = z.union([
  z.discriminatedUnion("type", [TextBlock, ThinkingBlock, ToolUseBlock, ToolResultBlock, ImageBlock]),
  OtherBlock,
]);
export type ContentBlock = z.infer<typeof ContentBlock>;

const sessionFields = {
  session_id: z.string(),
  uuid: z.string().optional(),
};

export const SystemInit = z.looseObject({
  type: z.literal("system"),
  subtype: z.literal("init"),
  cwd: z.string(),
  model: z.string(),
  tools: z.array(z.string()).default([]),
  permissionMode: z.string().optional(),
  claude_code_version: z.string().optional(),
  ...sessionFields,
});
export type SystemInit = z.infer<typeof SystemInit>;

export const SystemCompactBoundary = z.looseObject({
  type: z.literal("system"),
  subtype: z.literal("compact_boundary"),
  compact_metadata: z.looseObject({ trigger: z.string().optional(), pre_tokens: count.optional() }).optional(),
  ...sessionFields,
});
export type SystemCompactBoundary = z.infer<typeof SystemCompactBoundary>;

/** Any other `system` subtype (status, hook output, api retries …), kept whole. */
export const SystemOther = z.looseObject({
  type: z.literal("system"),
  subtype: z.string(),
  session_id: z.string().optional(),
});
export type SystemOther = z.infer<typeof SystemOther>;

export const AssistantEvent = z.looseObject({
  type: z.literal("assistant"),
  message: z.looseObject({
    id: z.string().optional(),
    role: z.literal("assistant"),
    model: z.string().optional(),
    content: z.array(ContentBlock),
    stop_reason: z.string().nullish(),
    usage: Usage.optional(),
  }),
  parent_tool_use_id: z.string().nullish(),
  ...sessionFields,
});
export type AssistantEvent = z.infer<typeof AssistantEvent>;

export const UserEvent = z.looseObject({
  type: z.literal("user"),
  message: z.looseObject({
    role: z.literal("user"),
    content: z.union([z.string(), z.array(ContentBlock)]),
  }),
  parent_tool_use_id: z.string().nullish(),
  ...sessionFields,
});
export type UserEvent = z.infer<typeof UserEvent>;

export const StreamEvent = z.looseObject({
  type: z.literal("stream_event"),
  event: z.looseObject({ type: z.string() }),
  parent_tool_use_id: z.string().nullish(),
  ...sessionFields,
});
export type StreamEvent = z.infer<typeof StreamEvent>;

export const KnownResultSubtype = z.enum([
  "success",
  "error_max_turns",
  "error_during_execution",
  "error_max_budget_usd",
]);
export type KnownResultSubtype = z.infer<typeof KnownResultSubtype>;

export const ResultEvent = z.looseObject({
  type: z.literal("result"),
  subtype: z.union([KnownResultSubtype, z.string()]),
  is_error: z.boolean(),
  result: z.string().optional(),
  duration_ms: count.default(0),
  duration_api_ms: count.default(0),
  num_turns: count.default(0),
  total_cost_usd: z.number().default(0),
  usage: Usage.optional(),
  modelUsage: ModelUsage.default({}),
  model_usage_since_last_result: ModelUsage.optional(),
  errors: z.array(z.string()).optional(),
  terminal_reason: z.string().optional(),
  stop_reason: z.string().nullish(),
  permission_denials: z.array(z.unknown()).default([]),
  ...sessionFields,
});
export type ResultEvent = z.infer<typeof ResultEvent>;

export const ControlRequest = z.looseObject({
  type: z.literal("control_request"),
  request_id: z.string(),
  request: z.looseObject({ subtype: z.string() }),
});
export type ControlRequest = z.infer<typeof ControlRequest>;

export const ControlResponse = z.looseObject({
  type: z.literal("control_response"),
  response: z.looseObject({
    subtype: z.string(),
    request_id: z.string().optional(),
    response: z.unknown().optional(),
    error: z.string().optional(),
  }),
});
export type ControlResponse = z.infer<typeof ControlResponse>;

export type SystemEvent = SystemInit | SystemCompactBoundary | SystemOther;
export type ClaudeEvent =
  | SystemEvent
  | AssistantEvent
  | UserEvent
  | StreamEvent
  | ResultEvent
  | ControlRequest
  | ControlResponse;

/** What `parseClaudeLine` makes of one stdout line. */
export const ClaudeLine = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("event"), event: z.custom<ClaudeEvent>((v) => typeof v === "object" && v !== null) }),
  z.object({
    kind: z.literal("unknown"),
    /** Why the line is not an event: an unknown `type`, or a known one whose shape did not fit. */
    reason: z.string(),
    value: z.unknown(),
  }),
  z.object({ kind: z.literal("raw"), line: z.string() }),
]);
export type ClaudeLine = z.infer<typeof ClaudeLine>;

const schemaForType: Record<string, z.ZodType<ClaudeEvent> | undefined> = {
  assistant: AssistantEvent,
  user: UserEvent,
  stream_event: StreamEvent,
  result: ResultEvent,
  control_request: ControlRequest,
  control_response: ControlResponse,
};

function systemSchema(subtype: unknown): z.ZodType<ClaudeEvent> {
  if (subtype === "init") return SystemInit;
  if (subtype === "compact_boundary") return SystemCompactBoundary;
  return SystemOther;
}

/** Parses one line of `--output-format stream-json`. Never throws. */
export function parseClaudeLine(line: string): ClaudeLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: "raw", line };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "raw", line };
  }
  const type = (value as { type?: unknown }).type;
  const schema =
    type === "system" ? systemSchema((value as { subtype?: unknown }).subtype) : schemaForType[String(type)];
  if (!schema) return { kind: "unknown", reason: `unknown type ${JSON.stringify(type ?? null)}`, value };
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    return { kind: "unknown", reason: `${String(type)} did not fit its schema at ${where}: ${issue?.message}`, value };
  }
  return { kind: "event", event: parsed.data };
}

// ---- the input side: what konsole writes to a process's stdin ----

export const UserInputBlock = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({
    type: z.literal("image"),
    source: z.object({ type: z.literal("base64"), media_type: ImageMediaType, data: z.string().min(1) }),
  }),
]);
export type UserInputBlock = z.infer<typeof UserInputBlock>;

export const UserMessageLine = z.object({
  type: z.literal("user"),
  message: z.object({ role: z.literal("user"), content: z.array(UserInputBlock).min(1) }),
});
export type UserMessageLine = z.infer<typeof UserMessageLine>;

export const InterruptRequest = z.object({
  type: z.literal("control_request"),
  request_id: z.string(),
  request: z.object({ subtype: z.literal("interrupt") }),
});
export type InterruptRequest = z.infer<typeof InterruptRequest>;

export function buildUserMessage(text: string, images: readonly ImageAttachment[] = []): UserMessageLine {
  const content: UserInputBlock[] = images.map((image) => ({
    type: "image",
    source: { type: "base64", media_type: image.mediaType, data: image.data },
  }));
  if (text.length > 0 || content.length === 0) content.push({ type: "text", text });
  return { type: "user", message: { role: "user", content } };
}

export function buildInterruptRequest(requestId: string): InterruptRequest {
  return { type: "control_request", request_id: requestId, request: { subtype: "interrupt" } };
}

/** One stdin line, newline-terminated, as the CLI's stream-json input expects. */
export function toStdinLine(message: UserMessageLine | InterruptRequest): string {
  return `${JSON.stringify(message)}\n`;
}
