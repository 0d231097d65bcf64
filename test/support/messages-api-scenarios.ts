// Ready-made scenarios. Each derives its answer from the request alone, so the same
// conversation always gets the same answer, across turns, processes and `--resume`.

import {
  overloadedReply,
  serverErrorReply,
  textReply,
  toolUseReply,
  withTiming,
  type ReplyTiming,
  type Scenario,
} from "./messages-api-reply.ts";
import { pendingToolResults, userPrompts, type ToolResult } from "./messages-api-request.ts";

export function plainText(text: string): Scenario {
  return () => textReply(text);
}

/**
 * "The number is N" to "What number?" when an earlier prompt said "Remember N",
 * "I don't know" when none did, "OK" to anything else.
 */
export function memory(): Scenario {
  return (request) => {
    const prompts = userPrompts(request);
    const last = prompts.at(-1) ?? "";
    if (!/what number\??/i.test(last)) return textReply("OK");
    const remembered = prompts
      .slice(0, -1)
      .map((prompt) => /remember\s+(\d+)/i.exec(prompt)?.[1])
      .findLast((number) => number !== undefined);
    return textReply(remembered === undefined ? "I don't know" : `The number is ${remembered}`);
  };
}

export const noopBash = { command: "true", description: "noop" } as const;

/** Asks for a `Bash` tool call running `true`, whatever comes back. */
export function loopForever(): Scenario {
  return () => toolUseReply("Bash", { ...noopBash });
}

export type AfterToolResult = (results: ToolResult[]) => string;

const quoteResults: AfterToolResult = (results) =>
  `The tool said: ${results.map((result) => result.text).join("\n")}`;

/**
 * Asks for one tool call; once its tool_result comes back, answers with text
 * (by default quoting the result).
 */
export function toolCall(name: string, input: Record<string, unknown>, then: AfterToolResult = quoteResults): Scenario {
  return (request) => {
    const results = pendingToolResults(request);
    return results.length > 0 ? textReply(then(results)) : toolUseReply(name, input);
  };
}

/** The same answers as `scenario`, held back and streamed slowly. */
export function slow(scenario: Scenario, timing: ReplyTiming = { firstByteDelayMs: 500, deltaDelayMs: 200 }): Scenario {
  return (request) => withTiming(scenario(request), timing);
}

/** A latch a test opens when it is ready; `held` replies wait for it. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

export function createGate(): Gate {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The same answers as `scenario`, each held back until `gate` opens. */
export function held(scenario: Scenario, gate: Gate): Scenario {
  return (request) => ({ ...scenario(request), hold: gate.opened });
}

export function overloaded(): Scenario {
  return () => overloadedReply();
}

export function serverError(): Scenario {
  return () => serverErrorReply();
}

/** Short text for the CLI's requests beside the conversation (titles, summaries …). */
export function sideRequestDefault(): Scenario {
  return () => textReply("Stand-in session");
}
