// Small selectors over the events a `claude` process printed.

import type {
  AssistantEvent,
  ClaudeEvent,
  ControlResponse,
  ResultEvent,
  SystemInit,
  ToolUseBlock,
} from "@kon/protocol";

export function isResult(event: ClaudeEvent): event is ResultEvent {
  return event.type === "result";
}

export function isInit(event: ClaudeEvent): event is SystemInit {
  return event.type === "system" && event.subtype === "init";
}

export function isAssistant(event: ClaudeEvent): event is AssistantEvent {
  return event.type === "assistant";
}

export function isControlResponse(event: ClaudeEvent): event is ControlResponse {
  return event.type === "control_response";
}

export function isToolUse(event: ClaudeEvent): event is AssistantEvent {
  return isAssistant(event) && event.message.content.some((block) => block.type === "tool_use");
}

/** The text blocks of every assistant message, in order. */
export function assistantTexts(events: readonly ClaudeEvent[]): string[] {
  return events
    .filter(isAssistant)
    .flatMap((event) => event.message.content)
    .flatMap((block) =>
      block.type === "text" && "text" in block && typeof block.text === "string" ? [block.text] : [],
    );
}

export function toolUses(events: readonly ClaudeEvent[]): ToolUseBlock[] {
  return events
    .filter(isAssistant)
    .flatMap((event) => event.message.content)
    .filter((block): block is ToolUseBlock => block.type === "tool_use");
}
