import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPermissionResponse, CanUseToolRequest, evaluateRules, parseClaudeLine, PermissionAnswer, allowRulesOf } from "../src/index.ts";

const fixtureDir = path.join(import.meta.dirname, "fixtures", "claude-cli-2.1.329");
const linesOf = (file: string): string[] => readFileSync(path.join(fixtureDir, file), "utf8").split("\n").filter((line) => line.trim() !== "");

function canUseToolOf(file: string) {
  for (const raw of linesOf(file)) {
    const line = parseClaudeLine(raw);
    if (line.kind === "event" && line.event.type === "control_request") {
      return { requestId: line.event.request_id, request: CanUseToolRequest.parse(line.event.request) };
    }
  }
  throw new Error(`no can_use_tool in ${file}`);
}

describe("the CLI's tool permission protocol (real 2.1.329 lines)", () => {
  it("reads a can_use_tool request", () => {
    const { request } = canUseToolOf("permission-allow.jsonl");
    expect(request).toMatchObject({ tool_name: "Bash", input: { command: "git status --short" }, tool_use_id: "toolu_1", permission_suggestions: [] });
    expect(request.decision_reason).toContain("can't be checked");
  });

  it("writes the same answers the recorded host wrote", () => {
    const [, , allowLine, denyLine] = linesOf("permission-host-lines.jsonl").map((line) => JSON.parse(line) as unknown);
    const id = "<request_id of the can_use_tool>";
    const input = { command: "git status --short" };
    const edited = { command: "echo approved-and-edited", description: "edited" };
    expect(buildPermissionResponse(id, PermissionAnswer.parse({ behavior: "allow", updatedInput: edited }), input)).toEqual(allowLine);
    expect(buildPermissionResponse(id, PermissionAnswer.parse({ behavior: "deny", message: "Denied by a teammate: not now" }), input)).toEqual(denyLine);
  });

  it("answers allow with the input as asked when none was edited", () => {
    const response = buildPermissionResponse("r1", PermissionAnswer.parse({ behavior: "allow" }), { command: "ls" });
    expect(response.response.response).toEqual({ behavior: "allow", updatedInput: { command: "ls" } });
  });
});

describe("permission rules in the CLI's syntax", () => {
  const bash = (command: string) => ({ toolName: "Bash", input: { command } });

  it("matches whole tools, prefixes and exact commands; deny wins", () => {
    expect(evaluateRules({ allow: ["Bash(git status:*)"], deny: [] }, bash("git status --short"))).toEqual({ decision: "allow", rule: "Bash(git status:*)" });
    expect(evaluateRules({ allow: ["Bash(git status:*)"], deny: [] }, bash("git statusx"))).toEqual({ decision: "ask", rule: null });
    expect(evaluateRules({ allow: ["Bash(touch a.txt)"], deny: [] }, bash("touch a.txt"))).toMatchObject({ decision: "allow" });
    expect(evaluateRules({ allow: ["Bash"], deny: ["Bash(rm:*)"] }, bash("rm -rf x"))).toEqual({ decision: "deny", rule: "Bash(rm:*)" });
    expect(evaluateRules({ allow: ["Read"], deny: [] }, bash("ls"))).toEqual({ decision: "ask", rule: null });
  });

  it("allows a chained command only when every part is allowed, and denies it when any part is denied", () => {
    const rules = { allow: ["Bash(git status:*)"], deny: ["Bash(rm:*)"] };
    expect(evaluateRules(rules, bash("git status && curl evil"))).toEqual({ decision: "ask", rule: null });
    expect(evaluateRules(rules, bash("git status; rm -rf /"))).toEqual({ decision: "deny", rule: "Bash(rm:*)" });
    expect(evaluateRules({ allow: ["Bash(echo:*)"], deny: [] }, bash("echo $(cat secret)"))).toEqual({ decision: "ask", rule: null });
  });

  it("globs file paths, relative to the working directory", () => {
    const edit = (file_path: string) => ({ toolName: "Write", input: { file_path }, cwd: "/w/project" });
    expect(evaluateRules({ allow: ["Edit(src/**)"], deny: [] }, edit("/w/project/src/a/b.ts"))).toMatchObject({ decision: "allow" });
    expect(evaluateRules({ allow: ["Edit(src/*.ts)"], deny: [] }, edit("/w/project/src/a/b.ts"))).toMatchObject({ decision: "ask" });
    expect(evaluateRules({ allow: ["Edit(src/**)"], deny: [] }, edit("/w/other/src/b.ts"))).toMatchObject({ decision: "ask" });
    expect(evaluateRules({ allow: [], deny: ["Edit(//etc/**)"] }, edit("/etc/passwd"))).toMatchObject({ decision: "deny" });
  });

  it("matches WebFetch by domain and never lets a rule answer an agent question", () => {
    const fetchCall = (url: string) => ({ toolName: "WebFetch", input: { url } });
    expect(evaluateRules({ allow: ["WebFetch(domain:example.com)"], deny: [] }, fetchCall("https://docs.example.com/x"))).toMatchObject({ decision: "allow" });
    expect(evaluateRules({ allow: ["WebFetch(domain:example.com)"], deny: [] }, fetchCall("https://example.org/"))).toMatchObject({ decision: "ask" });
    expect(evaluateRules({ allow: ["AskUserQuestion"], deny: [] }, { toolName: "AskUserQuestion", input: {} })).toMatchObject({ decision: "ask" });
  });

  it("reads the allow rules an updatedPermissions list adds", () => {
    const updates = [
      { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "touch a" }, { toolName: "Read" }], behavior: "allow", destination: "session" },
      { type: "setMode", mode: "acceptEdits", destination: "session" },
    ];
    expect(allowRulesOf(updates)).toEqual(["Bash(touch a)", "Read"]);
  });
});
