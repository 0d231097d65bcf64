import { describe, expect, it } from "vitest";
import { answeredElsewhereNote, answersFrom, editableText, outcomeSentence, parseEditedInput, toolInputView } from "../src/logic/decision-view.ts";
import { lineDiff } from "../src/logic/line-diff.ts";
import { draftOf, policyFromDraft, verdictSentence } from "../src/logic/policy-form.ts";
import { decision, settled } from "./fixtures.ts";

describe("tool input as a person reads it", () => {
  it("shows a Bash command, an Edit or MultiEdit as a diff, a Write's content and anything else as JSON", () => {
    expect(toolInputView("Bash", { command: "rm -rf build", description: "clean" })).toEqual({ kind: "command", command: "rm -rf build", description: "clean" });
    expect(toolInputView("Edit", { file_path: "a.ts", old_string: "x", new_string: "y" })).toEqual({ kind: "edit", path: "a.ts", edits: [{ before: "x", after: "y" }] });
    expect(toolInputView("MultiEdit", { file_path: "a.ts", edits: [{ old_string: "1", new_string: "2" }, { old_string: "3", new_string: "4" }] })).toMatchObject({ kind: "edit", edits: [{ before: "1" }, { before: "3" }] });
    expect(toolInputView("Write", { file_path: "b.md", content: "# hi" })).toEqual({ kind: "write", path: "b.md", content: "# hi" });
    expect(toolInputView("WebFetch", { url: "https://example.com" })).toEqual({ kind: "json", text: '{\n  "url": "https://example.com"\n}' });
    expect(toolInputView("Edit", { file_path: "a.ts", old_string: 3 })).toMatchObject({ kind: "json" });
  });

  it("diffs lines: unchanged ones stay, removed and added ones are marked", () => {
    expect(lineDiff("a\nb\nc", "a\nB\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "del", text: "b" },
      { kind: "add", text: "B" },
      { kind: "same", text: "c" },
      { kind: "add", text: "d" },
    ]);
    expect(lineDiff("", "new")).toEqual([{ kind: "add", text: "new" }]);
    const big = Array.from({ length: 600 }, (_, i) => `line ${i}`).join("\n");
    const diff = lineDiff(big, `${big}\nmore`);
    expect(diff.filter((l) => l.kind === "del")).toHaveLength(600);
    expect(diff.at(-1)).toEqual({ kind: "add", text: "more" });
  });
});

describe("answers", () => {
  it("edits a Bash command as text and other input as a JSON object", () => {
    expect(editableText("Bash", { command: "ls -la" })).toBe("ls -la");
    expect(parseEditedInput("Bash", { command: "ls", description: "list" }, "ls -l")).toEqual({ ok: true, value: { command: "ls -l", description: "list" } });
    expect(parseEditedInput("Bash", { command: "ls" }, "  ")).toMatchObject({ ok: false });
    expect(parseEditedInput("Read", { file_path: "a" }, '{"file_path":"b"}')).toEqual({ ok: true, value: { file_path: "b" } });
    expect(parseEditedInput("Read", { file_path: "a" }, "[1]")).toMatchObject({ ok: false, error: expect.stringContaining("JSON object") });
    expect(parseEditedInput("Read", { file_path: "a" }, "{oops")).toMatchObject({ ok: false, error: expect.stringContaining("not valid JSON") });
  });

  it("answers every question with the picked labels or the person's own words", () => {
    const questions = [
      { question: "Which colour?", header: "Colour", options: [{ label: "Red" }, { label: "Blue" }] },
      { question: "Which days?", multiSelect: true, options: [{ label: "Mon" }, { label: "Tue" }] },
    ];
    expect(answersFrom(questions, { "Which colour?": { picked: ["Red"], other: "" }, "Which days?": { picked: ["Mon", "Tue"], other: "" } })).toEqual({
      ok: true,
      value: { "Which colour?": "Red", "Which days?": "Mon, Tue" },
    });
    expect(answersFrom(questions, { "Which colour?": { picked: ["Red"], other: " green " }, "Which days?": { picked: [], other: "" } })).toEqual({
      ok: false,
      error: "Answer “Which days?” first (pick an option or write your own).",
    });
  });
});

describe("the record", () => {
  const asked = decision({ id: "d1", createdAt: "2026-03-01T10:00:00Z" });
  it("says who decided what", () => {
    expect(outcomeSentence(asked)).toBe("Waiting for an answer.");
    expect(outcomeSentence(settled(asked))).toBe("Allowed by bob.");
    const edited = settled(asked, { answer: { behavior: "allow", message: null, updatedInput: { command: "ls -l" }, alwaysAllow: true, answers: null, rule: null } });
    expect(outcomeSentence(edited)).toBe("Allowed by bob, with an edited input, always for this session.");
    const byPolicy = settled(asked, { status: "denied", decidedBy: "policy", answeredBy: null, answer: { behavior: "deny", message: "no", updatedInput: null, alwaysAllow: false, answers: null, rule: "Bash(rm:*)" } });
    expect(outcomeSentence(byPolicy)).toBe("Denied by the agent's policy (rule Bash(rm:*)).");
    expect(outcomeSentence(settled(asked, { status: "expired", decidedBy: "timeout", answeredBy: null }))).toBe("Denied: nobody answered in time.");
    expect(outcomeSentence(settled(asked, { status: "cancelled", decidedBy: "system", answeredBy: null }))).toMatch(/^Cancelled/);
    expect(outcomeSentence(settled(asked, { kind: "question" }))).toBe("Answered by bob.");
    expect(answeredElsewhereNote(settled(asked))).toBe("Already answered by bob.");
    expect(answeredElsewhereNote(byPolicy)).toBe("Already answered by the agent's policy.");
  });
});

describe("policy editor", () => {
  it("turns the fields into a policy and back, and refuses a bad timeout", () => {
    const draft = draftOf({ agent: "claude", allow: ["Bash(git status:*)"], deny: [], approvers: ["bob"], timeoutSec: 600 });
    expect(policyFromDraft({ ...draft, allow: "Bash(git status:*)\n\n  Edit(src/**) \n", approvers: "bob, carol bob" })).toEqual({
      ok: true,
      body: { allow: ["Bash(git status:*)", "Edit(src/**)"], deny: [], approvers: ["bob", "carol"], timeoutSec: 600 },
    });
    expect(policyFromDraft({ ...draft, timeoutSec: "5" })).toMatchObject({ ok: false, errors: { timeoutSec: expect.stringContaining("10 to 86400") } });
    expect(verdictSentence({ decision: "allow", rule: "Bash(git status:*)" })).toBe("Allowed without asking by the rule Bash(git status:*).");
    expect(verdictSentence({ decision: "ask", rule: null })).toBe("No rule matches: a person would be asked.");
  });
});
