// One line that says what a tool call does, from its input: the first thing a person looks for.

const MAX = 80;

const PREFERRED_KEYS = ["command", "file_path", "pattern", "path", "url", "query", "description", "prompt", "notebook_path", "skill"];

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX ? `${flat.slice(0, MAX - 1)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function summarizeToolInput(name: string, input: unknown): string {
  if (typeof input === "string") return oneLine(input);
  if (!isRecord(input)) return input === undefined || input === null ? "" : oneLine(JSON.stringify(input));
  if (name === "AskUserQuestion" && Array.isArray(input.questions)) {
    const first = input.questions.find((q): q is { question: string } => isRecord(q) && typeof q.question === "string");
    if (first) return oneLine(input.questions.length > 1 ? `${first.question} (+${input.questions.length - 1} more)` : first.question);
  }
  if (name === "TodoWrite" && Array.isArray(input.todos)) return `${input.todos.length} todo${input.todos.length === 1 ? "" : "s"}`;
  for (const key of PREFERRED_KEYS) {
    const value = input[key];
    if (typeof value === "string" && value.trim()) {
      if (key === "pattern" && typeof input.path === "string") return oneLine(`${value} in ${input.path}`);
      return oneLine(value);
    }
  }
  const firstString = Object.values(input).find((v): v is string => typeof v === "string" && v.trim() !== "");
  if (firstString) return oneLine(firstString);
  const json = JSON.stringify(input);
  return json === "{}" ? "" : oneLine(json);
}

/** Input as a person reads it in the expanded view. */
export function formatToolInput(input: unknown): string {
  if (typeof input === "string") return input;
  return JSON.stringify(input, null, 2) ?? "";
}
