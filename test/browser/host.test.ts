// The Host page against the whole stack: a conversation someone had in a terminal (the real CLI,
// its own config dir, which konsole observes) is listed, a line the terminal adds shows its cost
// live, the session's detail charts it, and "Continue here" carries the conversation on.

import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { buildUserMessage } from "@kon/protocol";
import { afterAll, expect, it } from "vitest";
import { createClaudeHome, transcriptPathIn } from "../support/claude-env.ts";
import { memory } from "../support/messages-api.ts";
import { runClaudeTurn } from "../support/run-claude.ts";
import { oneMoreApiMessage } from "../support/transcript-lines.ts";
import { logIn, useBrowserStack } from "./support/browser-stack.ts";
import { describeInBrowser } from "./support/chromium.ts";
import { screenshot } from "./support/screenshots.ts";
import { LONG, sendMessage, waitForReply } from "./support/ui.ts";

const terminal = createClaudeHome();
const ui = useBrowserStack({ scenario: () => memory(), konsoleEnv: { KONSOLE_OBSERVE_DIRS: terminal.configDir } });
afterAll(() => terminal.cleanup());

const costOf = (text: string) => Number(/\$(\d+\.\d+)/.exec(text)?.[1] ?? Number.NaN);

describeInBrowser("the Host page", () => {
  it("lists a terminal's session, shows an appended line's cost live, charts it, and continues it here", async () => {
    const claudeSessionId = randomUUID();
    const turn = await runClaudeTurn({
      input: [buildUserMessage("Remember 42")],
      args: ["--session-id", claudeSessionId],
      env: terminal.env(ui.stack.api.url),
      cwd: terminal.cwd,
    });
    expect(turn.result).toMatchObject({ subtype: "success", session_id: claudeSessionId });

    const { page } = await ui.newPage("host");
    await logIn(page, ui.url);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Host" }).click();
    await page.getByRole("heading", { level: 1, name: "Host" }).waitFor();
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor(LONG);
    const row = page.getByRole("list", { name: "Host sessions" }).getByRole("listitem", { name: "Remember 42" });
    await row.waitFor(LONG);
    const cost = row.getByTitle("Cost so far");
    const before = costOf(await cost.innerText());
    expect(before).toBeGreaterThan(0);
    await page.getByRole("region", { name: "Current 5-hour block" }).getByText("Burn rate").waitFor();

    // The terminal writes one more API message: its cost reaches the open page without a reload.
    appendFileSync(transcriptPathIn(terminal.configDir, claudeSessionId, terminal.cwd), oneMoreApiMessage(transcriptPathIn(terminal.configDir, claudeSessionId, terminal.cwd)));
    await expect.poll(async () => costOf(await cost.innerText()), LONG).toBeGreaterThan(before);
    await page.getByRole("table", { name: /Per project/ }).waitFor();
    await screenshot(page, "host", { docs: true });

    await row.getByRole("link", { name: "Remember 42" }).click();
    await page.getByRole("heading", { level: 1, name: "Remember 42" }).waitFor();
    await page.getByRole("img", { name: /Cost per hour/ }).waitFor(LONG);
    await page.getByRole("table", { name: "Tool calls" }).or(page.getByText("Tool calls: none.")).first().waitFor();
    await screenshot(page, "host-session", { docs: true });

    await page.getByRole("button", { name: "Continue “Remember 42” here" }).click();
    await page.waitForURL(/\/sessions\/claude\/[^/]+$/, LONG);
    await page.getByRole("log", { name: "Messages" }).waitFor();
    await sendMessage(page, "What number?");
    await waitForReply(page, "The number is 42");
  });
});
