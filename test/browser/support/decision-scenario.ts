// What the stand-in answers in the decision tests: Bash is outside the agent's tools there, so
// every call it asks for waits for a person; an AskUserQuestion asks which number to use.

import { textReply, toolCall, userPrompts, type Scenario } from "../../support/messages-api.ts";

/** konsole's tools for these tests: Bash is not among them, so the CLI asks before running it. */
export const TOOLS_WITHOUT_BASH = "Read Glob Grep";

export const NUMBER_COMMAND = "sh -c 'echo approved-$((6*7))'";

/** A command the policy test allows by rule. */
export const POLICY_COMMAND = "sh -c 'echo policy-ok'";

export const NUMBER_QUESTION = {
  question: "Which number should I print?",
  header: "Number",
  multiSelect: false,
  options: [
    { label: "7", description: "A lucky one" },
    { label: "42", description: "The answer" },
  ],
} as const;

export function decisionScenario(): Scenario {
  const command = toolCall("Bash", { command: NUMBER_COMMAND, description: "print the number" });
  const question = toolCall("AskUserQuestion", { questions: [NUMBER_QUESTION] }, (results) => `You chose: ${results.map((r) => r.text).join(" ")}`);
  const allowedByPolicy = toolCall("Bash", { command: POLICY_COMMAND, description: "say ok" });
  return (request) => {
    const last = userPrompts(request).at(-1) ?? "";
    if (/say ok/i.test(last)) return allowedByPolicy(request);
    if (/print the number/i.test(last)) return command(request);
    if (/ask me/i.test(last)) return question(request);
    return textReply("OK");
  };
}
