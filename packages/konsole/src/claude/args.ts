import type { PermissionMode } from "@kon/protocol";

export type Conversation = { kind: "new"; claudeSessionId: string } | { kind: "resume"; claudeSessionId: string };

export interface ClaudeArgsOptions {
  conversation: Conversation;
  maxTurns: number;
  permissionMode: PermissionMode | undefined;
  allowedTools: readonly string[];
  /** `--max-budget-usd`: the CLI stops once the conversation's running total passes it. */
  maxBudgetUsd?: number | undefined;
}

/**
 * The CLI's arguments for stream-json on both sides, with the model's output streamed as
 * `stream_event` lines (text deltas) while it writes, not only once per message, and tool
 * calls outside `--allowedTools` asked of konsole over stdio (`can_use_tool`).
 */
export function buildClaudeArgs(options: ClaudeArgsOptions): string[] {
  const args = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--include-partial-messages"];
  args.push("--permission-prompt-tool", "stdio");
  const { conversation } = options;
  args.push(
    conversation.kind === "resume"
      ? `--resume=${conversation.claudeSessionId}`
      : `--session-id=${conversation.claudeSessionId}`,
  );
  args.push("--max-turns", String(options.maxTurns));
  if (options.permissionMode) args.push("--permission-mode", options.permissionMode);
  if (options.allowedTools.length > 0) args.push("--allowedTools", options.allowedTools.join(","));
  if (options.maxBudgetUsd !== undefined) args.push("--max-budget-usd", String(options.maxBudgetUsd));
  return args;
}
