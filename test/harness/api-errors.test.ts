import { buildUserMessage } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { useClaudeHarness } from "../support/claude-harness.ts";
import { overloaded, serverError } from "../support/messages-api.ts";

// The CLI retries 5xx with back-off (10 times by default); CLAUDE_CODE_MAX_RETRIES keeps these quick.
describe("API errors", () => {
  const h = useClaudeHarness();

  it("turns a 529 overloaded_error into an error result", async () => {
    h.api.setScenario(overloaded());
    const turn = await h.run([buildUserMessage("Hello")], [], { CLAUDE_CODE_MAX_RETRIES: "0" });

    expect(turn.exit.code).toBe(1);
    // The CLI reports an API error as subtype "success" with is_error: true.
    expect(turn.result).toMatchObject({ is_error: true, api_error_status: 529, terminal_reason: "api_error" });
    expect(turn.result?.result).toContain("529 Overloaded");
    expect(h.api.requests.filter((request) => request.route === "messages")).toHaveLength(1);
  });

  it("reports each retry as a system/api_retry event", async () => {
    h.api.setScenario(overloaded());
    const turn = await h.run([buildUserMessage("Hello")], [], { CLAUDE_CODE_MAX_RETRIES: "1" });

    const retries = turn.events.filter((event) => event.type === "system" && event.subtype === "api_retry");
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, max_retries: 1, error_status: 529 })]);
    expect(turn.result).toMatchObject({ is_error: true, api_error_status: 529 });
    expect(h.api.requests.map((request) => request.status)).toEqual([529, 529]);
  });

  it("turns a 500 api_error into an error result", async () => {
    h.api.setScenario(serverError());
    const turn = await h.run([buildUserMessage("Hello")], [], { CLAUDE_CODE_MAX_RETRIES: "0" });

    expect(turn.result).toMatchObject({ is_error: true, api_error_status: 500, terminal_reason: "api_error" });
    expect(turn.result?.result).toContain("500");
  });
});
