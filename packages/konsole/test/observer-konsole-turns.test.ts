import { ObservedSessionDetail } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

// The harness's konsole observes its own CLAUDE_CONFIG_DIR (the default roots), so the real
// CLI's transcripts of konsole's turns show up in the observer, linked to their session.
const h = useKonsoleHarness();

async function observed(claudeSessionId: string): Promise<ObservedSessionDetail | undefined> {
  const response = await h.request("GET", `/observer/sessions/${claudeSessionId}`);
  return response.status === 200 ? ObservedSessionDetail.parse(await response.json()) : undefined;
}

describe("konsole's own conversations in the observer", () => {
  it("links a conversation to its session and shows it running while a hot process holds it", async () => {
    expect((await h.request("GET", "/observer/status")).status).toBe(200);
    const turn = await h.hotPrompt("observed-session", { text: "Remember 5" });
    expect(turn.status).toBe("succeeded");
    const claudeSessionId = turn.claudeSessionId ?? "";
    await expect.poll(async () => (await observed(claudeSessionId))?.usage.messages, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const session = await observed(claudeSessionId);
    expect(session).toMatchObject({ konsoleSessionId: "observed-session", state: "running", title: "Remember 5", cwd: expect.any(String) });
    expect(session?.models.length).toBeGreaterThanOrEqual(1);
    expect(session?.usage.costUsd).toBeGreaterThan(0);
  }, 90_000);
});
