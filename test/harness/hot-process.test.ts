import { describe, expect, it } from "vitest";
import { isControlResponse, isInit, isResult, isToolUse } from "../support/claude-events.ts";
import { useClaudeHarness } from "../support/claude-harness.ts";
import { loopForever, plainText } from "../support/messages-api.ts";

describe("a hot process", () => {
  const h = useClaudeHarness();

  it("answers one stdin message after another in the same session", async () => {
    const claude = h.start();
    claude.send("Remember 7");
    const first = await claude.nextResult();
    claude.send("What number?");
    const second = await claude.nextResult();

    expect(first).toMatchObject({ subtype: "success", result: "OK" });
    expect(second).toMatchObject({ subtype: "success", result: "The number is 7", session_id: first.session_id });
    const inits = claude.events.filter(isInit);
    expect(inits.map((init) => init.session_id)).toEqual([first.session_id, first.session_id]);
    // Each user line gets its own init … result.
    const milestones = claude.events.flatMap((event) => (isInit(event) ? ["init"] : isResult(event) ? ["result"] : []));
    expect(milestones).toEqual(["init", "result", "init", "result"]);

    claude.endInput();
    expect(await claude.exited).toEqual({ code: 0, signal: null });
  });

  it("stops a tool loop on an interrupt request and takes the next message", async () => {
    h.api.setScenario(loopForever());
    const claude = h.start(["--allowedTools", "Bash"]);
    claude.send("loop forever please");
    await claude.waitForEvent(isToolUse);

    const requestId = claude.interrupt();
    const { event: response } = await claude.waitForEvent(
      (event) => isControlResponse(event) && event.response.request_id === requestId,
    );
    expect(response).toMatchObject({ response: { subtype: "success", request_id: requestId } });
    const interrupted = await claude.nextResult();
    expect(interrupted).toMatchObject({ subtype: "error_during_execution", is_error: true });

    h.api.setScenario(plainText("Back again"));
    claude.send("Are you there?");
    const next = await claude.nextResult();
    expect(next).toMatchObject({ subtype: "success", result: "Back again", session_id: interrupted.session_id });
    expect(claude.events.filter(isResult)).toHaveLength(2);
  });
});
