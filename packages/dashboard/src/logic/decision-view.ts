// How a decision reads to a person: the tool input in its natural form, the outcome in a sentence,
// and the answer built from what they edited or chose.

import type { AgentQuestion, Decision } from "@kon/protocol";

export interface FileEdit {
  before: string;
  after: string;
}

export type ToolInputView =
  | { kind: "command"; command: string; description: string | null }
  | { kind: "edit"; path: string; edits: FileEdit[] }
  | { kind: "write"; path: string; content: string }
  | { kind: "json"; text: string };

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

function editOf(value: unknown): FileEdit | null {
  if (typeof value !== "object" || value === null) return null;
  const { old_string: before, new_string: after } = value as Record<string, unknown>;
  return typeof before === "string" && typeof after === "string" ? { before, after } : null;
}

export const formatJson = (value: unknown): string => JSON.stringify(value, null, 2) ?? "";

/** A Bash command as a command, an Edit/MultiEdit as a diff, a Write as the file's content, anything else as JSON. */
export function toolInputView(toolName: string, input: Record<string, unknown>): ToolInputView {
  const path = str(input.file_path);
  if (toolName === "Bash" && str(input.command) !== null) {
    return { kind: "command", command: str(input.command) ?? "", description: str(input.description) };
  }
  if (toolName === "Edit" && path !== null) {
    const edit = editOf(input);
    if (edit) return { kind: "edit", path, edits: [edit] };
  }
  if (toolName === "MultiEdit" && path !== null && Array.isArray(input.edits)) {
    const edits = input.edits.map(editOf);
    if (edits.every((e): e is FileEdit => e !== null)) return { kind: "edit", path, edits };
  }
  if (toolName === "Write" && path !== null && str(input.content) !== null) {
    return { kind: "write", path, content: str(input.content) ?? "" };
  }
  return { kind: "json", text: formatJson(input) };
}

/** What "Edit & allow" starts from: the command for Bash, the input's JSON otherwise. */
export function editableText(toolName: string, input: Record<string, unknown>): string {
  const view = toolInputView(toolName, input);
  return view.kind === "command" ? view.command : formatJson(input);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The edited input to allow the tool with, or why it cannot be sent. */
export function parseEditedInput(toolName: string, original: Record<string, unknown>, text: string): Parsed<Record<string, unknown>> {
  if (toolInputView(toolName, original).kind === "command") {
    if (!text.trim()) return { ok: false, error: "Write the command to run, or choose Deny." };
    return { ok: true, value: { ...original, command: text } };
  }
  return parseJsonObject(text);
}

export function parseJsonObject(text: string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `This is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "The input must be a JSON object, like {\"command\": \"ls\"}." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** What the person picked for one question: option labels, and free text that wins when given. */
export interface QuestionChoice {
  picked: readonly string[];
  other: string;
}

/** One answer per question text (labels joined by ", " for a multi-select), or which question is unanswered. */
export function answersFrom(questions: readonly AgentQuestion[], choices: Readonly<Record<string, QuestionChoice>>): Parsed<Record<string, string>> {
  const answers: Record<string, string> = {};
  for (const q of questions) {
    const choice = choices[q.question];
    const other = choice?.other.trim() ?? "";
    const answer = other || (choice?.picked ?? []).join(", ");
    if (!answer) return { ok: false, error: `Answer “${q.header ?? q.question}” first (pick an option or write your own).` };
    answers[q.question] = answer;
  }
  return { ok: true, value: answers };
}

export const STATUS_LABEL: Record<Decision["status"], string> = {
  pending: "Waiting for you",
  allowed: "Allowed",
  denied: "Denied",
  expired: "Expired",
  cancelled: "Cancelled",
};

/** Who settled it and how, in one sentence ("Allowed by alice, with an edited input."). */
export function outcomeSentence(d: Decision): string {
  if (d.status === "pending") return "Waiting for an answer.";
  const rule = d.answer?.rule ? ` (rule ${d.answer.rule})` : "";
  if (d.status === "expired" || d.decidedBy === "timeout") return "Denied: nobody answered in time.";
  if (d.status === "cancelled") return "Cancelled: the turn ended before anyone answered.";
  const verb = d.kind === "question" && d.status === "allowed" ? "Answered" : STATUS_LABEL[d.status];
  let who = "";
  if (d.decidedBy === "person") who = ` by ${d.answeredBy?.username ?? "someone"}`;
  else if (d.decidedBy === "policy") who = ` by the agent's policy${rule}`;
  else if (d.decidedBy === "system") who = " by the system";
  const extras: string[] = [];
  if (d.answer?.updatedInput) extras.push("with an edited input");
  if (d.answer?.alwaysAllow) extras.push("always for this session");
  return `${verb}${who}${extras.length ? `, ${extras.join(", ")}` : ""}.`;
}

/** The short note shown where an answer lost the race. */
export function answeredElsewhereNote(d: Decision): string {
  const by = d.decidedBy === "person" ? (d.answeredBy?.username ?? "someone else") : d.decidedBy === "policy" ? "the agent's policy" : d.decidedBy === "timeout" ? "the timeout" : "the system";
  return `Already answered by ${by}.`;
}

/** "Bash wants to run" while it waits, "Bash asked to run" once settled. */
export function decisionTitle(d: Decision): string {
  const waiting = d.status === "pending";
  if (d.kind === "question") return waiting ? "The agent asks" : "The agent asked";
  return `${d.toolName} ${waiting ? "wants" : "asked"} to run`;
}
