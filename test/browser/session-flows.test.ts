// A person using the dashboard against the whole stack (real konui, konsole and `claude` CLI,
// the Messages API stand-in): a conversation that streams and remembers, tool calls, a kontask
// the agent makes, attachments, reset, failures (a turn limit continued for more turns), reloads
// and the guardrails form.

import fs from "node:fs";
import path from "node:path";
import { DEFAULT_GUARDRAILS, type Message } from "@kon/protocol";
import { expect, it } from "vitest";
import { dashboardScenario, PICK_KONTASK, rememberReply } from "./support/agent-scenario.ts";
import { logIn, useBrowserStack } from "./support/browser-stack.ts";
import { describeInBrowser } from "./support/chromium.ts";
import { screenshot } from "./support/screenshots.ts";
import { articles, LONG, messageLog, openNewSession, sendMessage, waitForIdle, waitForReply } from "./support/ui.ts";

let gateFile = "";
const ui = useBrowserStack({
  scenario: (home) => {
    gateFile = path.join(home.root, "gate");
    return dashboardScenario(gateFile);
  },
});

describeInBrowser("the dashboard, with the real claude CLI behind it", () => {
  it("streams a reply, remembers within the session, and forgets after a reset while the log stays", async () => {
    const { page } = await ui.newPage("conversation");
    await logIn(page, ui.url);
    await screenshot(page, "sessions-empty", { docs: true });
    await openNewSession(page, ui.url);

    await sendMessage(page, "Remember 42");
    const full = rememberReply("42");
    // Part of the reply on the page while the turn still runs: it streams.
    const streaming = messageLog(page).locator("article[aria-busy='true']").filter({ hasText: "Noted:" });
    await streaming.waitFor(LONG);
    expect(await streaming.innerText()).not.toContain("rest of this session.");
    await screenshot(page, "session-streaming");
    await waitForReply(page, full);
    await waitForIdle(page);

    await sendMessage(page, "What number?");
    await waitForReply(page, "The number is 42");
    await waitForIdle(page);
    await screenshot(page, "session-remembers", { docs: true });

    await page.getByRole("button", { name: "Reset memory" }).click();
    await sendMessage(page, "What number?");
    await waitForReply(page, "I don't know");
    await expect.poll(() => articles(page).filter({ hasText: "The number is 42" }).count()).toBe(1);
    await expect.poll(() => articles(page).count()).toBe(6);
  });

  it("shows a running tool call collapsed, and the reply after a reload mid-turn", async () => {
    const { page } = await ui.newPage("tool-call");
    await logIn(page, ui.url);
    await openNewSession(page, ui.url);
    await sendMessage(page, "Run the slow tool");

    const tool = messageLog(page).locator("details").filter({ has: page.locator("summary", { hasText: /^\s*Bash\b/ }) });
    await tool.locator("summary").filter({ hasText: "running" }).waitFor(LONG);
    expect(await tool.evaluate((details) => (details as unknown as { open: boolean }).open)).toBe(false);
    await expect.poll(() => page.getByRole("status", { name: "Turn state" }).innerText()).toBe("Running");
    await screenshot(page, "tool-running", { docs: true });

    await page.reload();
    await tool.locator("summary").waitFor(LONG);
    fs.writeFileSync(gateFile, "");
    await waitForReply(page, "The tool said: released");
    await tool.locator("summary").filter({ hasText: "ok" }).waitFor(LONG);
    await tool.locator("summary").click();
    await expect.poll(() => tool.innerText()).toContain("wait for the gate");
    await expect.poll(() => tool.innerText()).toContain("released");
    await screenshot(page, "tool-done");
    fs.rmSync(gateFile);
  });

  it("shows the agent's kontask without a reload, and its choice starts the next turn", async () => {
    const session = await ui.newPage("kontask-session");
    await logIn(session.page, ui.url);
    const sessionId = await openNewSession(session.page, ui.url);
    const list = await ui.newPage("kontask-list");
    await logIn(list.page, ui.url);
    await list.page.goto(`${ui.url}/kontasks`);
    await list.page.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor(LONG);

    await sendMessage(session.page, "Ask me which number to remember");
    await waitForReply(session.page, "HTTP 201");
    const link = list.page.getByRole("link", { name: PICK_KONTASK.title });
    await link.waitFor(LONG);
    await link.click();
    await list.page.getByRole("heading", { name: PICK_KONTASK.title }).waitFor();
    const output = list.page.frameLocator('iframe[title="Kontask output"]');
    await output.getByText("Which number should I remember?").waitFor();
    await screenshot(list.page, "kontask-detail", { docs: true });

    await list.page.getByRole("button", { name: "Remember 7" }).click();
    await articles(session.page).filter({ hasText: "Remember 7" }).first().waitFor(LONG);
    await waitForReply(session.page, rememberReply("7"));
    const log = await ui.stack.call<{ messages: Message[] }>("GET", `/api/agents/claude/sessions/${sessionId}`);
    expect(log.body.messages.map((m) => m.text)).toContain("Remember 7");
  });

  it("hands a CSV dropped on the composer to the agent", async () => {
    const { page } = await ui.newPage("attachment");
    await logIn(page, ui.url);
    await openNewSession(page, ui.url);
    const box = page.getByRole("textbox", { name: "Message" });
    const dataTransfer = await page.evaluateHandle(
      `(() => { const t = new DataTransfer(); t.items.add(new File(["city,count\\nOslo,42\\n"], "numbers.csv", { type: "text/csv" })); return t; })()`,
    );
    for (const type of ["dragenter", "dragover", "drop"]) await box.dispatchEvent(type, { dataTransfer });
    await page.getByRole("button", { name: "Remove numbers.csv" }).waitFor();
    await screenshot(page, "attachment-chosen");
    await sendMessage(page, "Summarise the attached numbers");
    const reply = await waitForReply(page, "The tool said:");
    expect(await reply.innerText()).toContain("Oslo,42");
    await expect.poll(() => page.getByRole("button", { name: "Remove numbers.csv" }).count()).toBe(0);
  });

  it("shows a turn-limit failure's exact text, and the guardrails form refuses 501", async () => {
    const limits = { max_turns_task: 3, max_turns_chat: 3 };
    expect((await ui.stack.call("PUT", "/api/agents/claude/guardrails", limits)).status).toBe(200);
    try {
      const { page } = await ui.newPage("turn-limit");
      await logIn(page, ui.url);
      const sessionId = await openNewSession(page, ui.url);
      await sendMessage(page, "loop until told to stop");
      const alert = messageLog(page).getByRole("article").getByRole("alert");
      await alert.waitFor(LONG);
      const log = await ui.stack.call<{ messages: Message[] }>("GET", `/api/agents/claude/sessions/${sessionId}`);
      const failed = log.body.messages.find((m) => m.status === "failed");
      expect(failed?.error?.message).toMatch(/^(Task|Chat) exceeded turn limit: Reached maximum number of turns \(3\)\./);
      expect(await alert.innerText()).toContain(failed?.error?.message);
      await screenshot(page, "turn-limit", { docs: true });

      // Continue for N more turns from the failure: the same conversation carries on.
      await page.getByRole("spinbutton", { name: "More turns" }).fill("2");
      await page.getByRole("button", { name: "Continue 2 more turns" }).click();
      await articles(page).filter({ hasText: "You ran out of turns before finishing. Carry on" }).waitFor(LONG);
      const lastMessage = async () =>
        (await ui.stack.call<{ messages: Message[] }>("GET", `/api/agents/claude/sessions/${sessionId}`)).body.messages.at(-1);
      await expect.poll(async () => (await lastMessage())?.role, LONG).toBe("assistant");
      expect(await lastMessage()).toMatchObject({ status: "complete", claudeSessionId: failed?.claudeSessionId });
      await waitForReply(page, (await lastMessage())?.text ?? "");
      await waitForIdle(page);

      await page.getByRole("link", { name: "Edit guardrails" }).click();
      await page.waitForURL(/\/admin\/guardrails\?agent=claude$/);
      const maxTurns = page.getByRole("spinbutton", { name: "Max turns (task)" });
      await expect.poll(() => maxTurns.inputValue()).toBe("3");
      await maxTurns.fill("501");
      await page.getByRole("button", { name: "Save guardrails" }).click();
      await expect.poll(() => maxTurns.getAttribute("aria-invalid")).toBe("true");
      const describedBy = (await maxTurns.getAttribute("aria-describedby")) ?? "";
      expect(describedBy).not.toBe("");
      const explanation = await page.locator(`[id="${describedBy.split(/\s+/)[0]}"]`).innerText();
      expect(explanation).toMatch(/500/);
      await screenshot(page, "guardrails-refused");
      const stored = await ui.stack.call<{ max_turns_task: number }>("GET", "/api/agents/claude/guardrails");
      expect(stored.body.max_turns_task).toBe(3);
    } finally {
      await ui.stack.call("PUT", "/api/agents/claude/guardrails", DEFAULT_GUARDRAILS);
    }
  });
});
