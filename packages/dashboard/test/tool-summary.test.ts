import { describe, expect, it } from "vitest";
import { formatToolInput, summarizeToolInput } from "../src/logic/tool-summary.ts";

describe("summarizeToolInput", () => {
  it("picks what the person looks for first", () => {
    expect(summarizeToolInput("Bash", { command: "ls -la /tmp", description: "List files" })).toBe("ls -la /tmp");
    expect(summarizeToolInput("Read", { file_path: "/src/app.ts", limit: 20 })).toBe("/src/app.ts");
    expect(summarizeToolInput("Grep", { pattern: "TODO", path: "src" })).toBe("TODO in src");
    expect(summarizeToolInput("TodoWrite", { todos: [{}, {}] })).toBe("2 todos");
    expect(summarizeToolInput("AskUserQuestion", { questions: [{ question: "Which one?", options: [] }] })).toBe("Which one?");
    expect(summarizeToolInput("AskUserQuestion", { questions: [{ question: "A?" }, { question: "B?" }] })).toBe("A? (+1 more)");
  });

  it("keeps to one line of at most 80 characters", () => {
    const summary = summarizeToolInput("Bash", { command: `echo one\n${"x".repeat(200)}` });
    expect(summary).not.toContain("\n");
    expect(summary).toHaveLength(80);
    expect(summary.endsWith("…")).toBe(true);
  });

  it("falls back to the first string, then to JSON, then to nothing", () => {
    expect(summarizeToolInput("Custom", { n: 3, label: "hello" })).toBe("hello");
    expect(summarizeToolInput("Custom", { n: 3 })).toBe('{"n":3}');
    expect(summarizeToolInput("Custom", {})).toBe("");
    expect(summarizeToolInput("Custom", null)).toBe("");
  });

  it("shows the full input as indented JSON, text as it is", () => {
    expect(formatToolInput({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatToolInput("<b>raw</b>")).toBe("<b>raw</b>");
  });
});
