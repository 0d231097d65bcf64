// Tool approvals and agent questions answered in the dashboard, with the whole stack behind it
// (real konui, konsole and `claude` CLI asking over stdio, the Messages API stand-in): the inbox
// badge counts what waits, an answer from the inbox lets the running turn finish in the session,
// a request survives a reload until answered, and an answer that lost the race says who won.

import type { Decision, DecisionPage } from "@kon/protocol";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { logIn, useBrowserStack } from "./support/browser-stack.ts";
import { describeInBrowser } from "./support/chromium.ts";
import { decisionScenario, NUMBER_COMMAND, NUMBER_QUESTION, POLICY_COMMAND, TOOLS_WITHOUT_BASH } from "./support/decision-scenario.ts";
import { screenshot } from "./support/screenshots.ts";
import { articles, LONG, openNewSession, sendMessage, waitForIdle, waitForReply } from "./support/ui.ts";

const ui = useBrowserStack({ scenario: () => decisionScenario(), konsoleEnv: { KONSOLE_ALLOWED_TOOLS: TOOLS_WITHOUT_BASH } });

const inboxLink = (page: Page) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ });
const decisionCard = (page: Page, name: string) => page.getByRole("group", { name });

async function pendingOf(sessionId: string): Promise<Decision> {
  let found: Decision | undefined;
  await expect
    .poll(
      async () => {
        const page = await ui.stack.call<DecisionPage>("GET", `/api/decisions?sessionId=${sessionId}&status=pending`);
        found = page.body.decisions[0];
        return found?.status;
      },
      LONG,
    )
    .toBe("pending");
  return found as Decision;
}

describeInBrowser("decisions in the dashboard, with the real claude CLI asking", () => {
  it("counts a pending approval in the inbox badge, and approving it from the inbox lets the turn finish", async () => {
    const session = await ui.newPage("approval-session");
    await logIn(session.page, ui.url);
    await openNewSession(session.page, ui.url);
    const inbox = await ui.newPage("approval-inbox");
    await logIn(inbox.page, ui.url);
    await inbox.page.goto(`${ui.url}/inbox`);
    await inbox.page.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor(LONG);
    expect(await inboxLink(inbox.page).getAttribute("aria-label")).toBe("Inbox");

    await sendMessage(session.page, "Please print the number");
    // Both pages count it, live; the session shows the full command in the turn that asked.
    await expect.poll(() => inboxLink(inbox.page).getAttribute("aria-label"), LONG).toBe("Inbox, 1 waiting");
    await expect.poll(() => inboxLink(session.page).getAttribute("aria-label"), LONG).toBe("Inbox, 1 waiting");
    const asked = decisionCard(session.page, "Bash wants to run");
    await asked.waitFor(LONG);
    expect(await asked.locator("pre code").innerText()).toBe(NUMBER_COMMAND);
    await expect.poll(() => session.page.getByRole("status", { name: "Turn state" }).innerText()).toBe("Running");
    await screenshot(session.page, "decision-pending", { docs: true });
    const card = decisionCard(inbox.page, "Bash wants to run");
    await card.waitFor(LONG);
    await screenshot(inbox.page, "inbox", { docs: true });

    await card.getByRole("button", { name: "Allow", exact: true }).click();
    await waitForReply(session.page, "The tool said: approved-42");
    await waitForIdle(session.page);
    const record = decisionCard(session.page, "Bash asked to run");
    await expect.poll(() => record.innerText(), LONG).toContain("Allowed by admin.");
    await expect.poll(() => inboxLink(session.page).getAttribute("aria-label")).toBe("Inbox");
    await expect.poll(() => inboxLink(inbox.page).getAttribute("aria-label")).toBe("Inbox");
    await inbox.page.getByText("Nothing waits for you.").waitFor(LONG);
  });

  it("shows a request again after a reload until it is answered, and the agent gets the denial's message", async () => {
    const { page } = await ui.newPage("denial");
    await logIn(page, ui.url);
    const sessionId = await openNewSession(page, ui.url);
    await sendMessage(page, "Please print the number");
    await decisionCard(page, "Bash wants to run").waitFor(LONG);

    await page.reload();
    const card = decisionCard(page, "Bash wants to run");
    await card.waitFor(LONG);
    await card.getByRole("button", { name: "Deny" }).click();
    await card.getByRole("button", { name: "Send denial" }).click();
    const message = card.getByRole("textbox", { name: "Message to the agent" });
    await expect.poll(() => message.getAttribute("aria-invalid")).toBe("true");
    await message.fill("Not today: print 7 instead.");
    await card.getByRole("button", { name: "Send denial" }).click();

    const reply = await waitForReply(page, "The tool said:");
    expect(await reply.innerText()).toContain("Not today: print 7 instead.");
    const record = decisionCard(page, "Bash asked to run");
    await expect.poll(() => record.innerText(), LONG).toContain("Denied by admin.");
    expect(await record.innerText()).toContain("Told the agent: Not today: print 7 instead.");
    const stored = await ui.stack.call<DecisionPage>("GET", `/api/decisions?sessionId=${sessionId}`);
    expect(stored.body.decisions.map((d) => [d.status, d.answer?.message])).toEqual([["denied", "Not today: print 7 instead."]]);
  });

  it("runs the command as edited, and after an always-allow does not ask for the same call again", async () => {
    const { page } = await ui.newPage("edit-and-always");
    await logIn(page, ui.url);
    const sessionId = await openNewSession(page, ui.url);
    await sendMessage(page, "Please print the number");
    const card = decisionCard(page, "Bash wants to run");
    await card.waitFor(LONG);
    await card.getByRole("button", { name: "Edit & allow" }).click();
    const command = card.getByRole("textbox", { name: "Command to run" });
    expect(await command.inputValue()).toBe(NUMBER_COMMAND);
    await command.fill("sh -c 'echo edited-7'");
    await card.getByRole("button", { name: "Allow edited" }).click();
    await waitForReply(page, "The tool said: edited-7");
    await expect.poll(() => decisionCard(page, "Bash asked to run").innerText(), LONG).toContain("Allowed by admin, with an edited input.");
    await waitForIdle(page);

    const withApproved = articles(page).filter({ hasText: "The tool said: approved-42" });
    await sendMessage(page, "Please print the number");
    await decisionCard(page, "Bash wants to run").getByRole("button", { name: "Always allow for this session" }).click();
    await expect.poll(() => withApproved.count(), LONG).toBe(1);
    await waitForIdle(page);
    await sendMessage(page, "Please print the number");
    await expect.poll(() => withApproved.count(), LONG).toBe(2);
    await waitForIdle(page);
    expect(await decisionCard(page, "Bash wants to run").count()).toBe(0);
    const stored = await ui.stack.call<DecisionPage>("GET", `/api/decisions?sessionId=${sessionId}`);
    expect(stored.body.decisions.filter((d) => d.decidedBy === "person")).toHaveLength(2);
    expect(stored.body.decisions.filter((d) => d.status === "pending")).toEqual([]);
  });

  it("answers an agent's question with one of its options", async () => {
    const { page } = await ui.newPage("question");
    await logIn(page, ui.url);
    await openNewSession(page, ui.url);
    await sendMessage(page, "Ask me which number");
    const card = decisionCard(page, "The agent asks");
    await card.waitFor(LONG);
    const group = card.getByRole("group", { name: new RegExp(NUMBER_QUESTION.question.replace(/\?/, "\\?")) });
    await group.getByRole("radio", { name: /^42/ }).check();
    await screenshot(page, "decision-question");
    await card.getByRole("button", { name: "Send answer" }).click();
    const reply = await waitForReply(page, "You chose:");
    expect(await reply.innerText()).toContain("42");
    await expect.poll(() => decisionCard(page, "The agent asked").innerText(), LONG).toContain("Answered by admin.");
  });

  it("says who answered first when an answer loses the race", async () => {
    const session = await ui.newPage("race-session");
    await logIn(session.page, ui.url);
    const sessionId = await openNewSession(session.page, ui.url);
    // The late page gets no decision frames, so it still offers the answer someone already gave.
    const late = await ui.newPage("race-late");
    await late.page.routeWebSocket(/\/api\/live$/, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((data) => {
        if (typeof data === "string" && data.includes('"type":"decision"')) return;
        socket.send(data);
      });
    });
    await logIn(late.page, ui.url);
    await sendMessage(session.page, "Please print the number");
    const decision = await pendingOf(sessionId);
    // The inbox is read twice on arrival: by the page, and once the live socket says hello. Both
    // must be in before someone else answers, or the second read would already show it settled.
    let inboxReads = 0;
    late.page.on("response", (response) => {
      if (new URL(response.url()).pathname === "/api/inbox") inboxReads += 1;
    });
    await late.page.goto(`${ui.url}/inbox`);
    const card = decisionCard(late.page, "Bash wants to run");
    await card.waitFor(LONG);
    await expect.poll(() => inboxReads, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);

    const first = await ui.stack.call<Decision>("POST", `/api/decisions/${decision.id}/answer`, { behavior: "allow" });
    expect(first.status).toBe(200);
    await card.getByRole("button", { name: "Allow", exact: true }).click();
    const settled = decisionCard(late.page, "Bash asked to run");
    await settled.getByRole("status").filter({ hasText: "Already answered by admin." }).waitFor(LONG);
    expect(await settled.innerText()).toContain("Allowed by admin.");
    await screenshot(late.page, "decision-answered-elsewhere");
    await waitForReply(session.page, "The tool said: approved-42");
  });

  it("lets an admin try and save a policy rule, which then allows the call without asking", async () => {
    const { page } = await ui.newPage("policy");
    await logIn(page, ui.url);
    try {
      await page.goto(`${ui.url}/admin/policy?agent=claude`);
      const allow = page.getByRole("textbox", { name: "Allow rules" });
      await allow.waitFor(LONG);
      await allow.fill("Bash(sh -c:*)");
      await page.getByRole("textbox", { name: "Tool input (JSON)" }).fill(JSON.stringify({ command: POLICY_COMMAND }));
      await page.getByRole("button", { name: "Try these rules" }).click();
      await expect.poll(() => page.getByRole("status", { name: "Verdict" }).innerText(), LONG).toBe("Allowed without asking by the rule Bash(sh -c:*).");
      await page.getByRole("spinbutton", { name: "Timeout (seconds)" }).fill("5");
      await page.getByRole("button", { name: "Save policy" }).click();
      await expect.poll(() => page.getByRole("spinbutton", { name: "Timeout (seconds)" }).getAttribute("aria-invalid")).toBe("true");
      await page.getByRole("spinbutton", { name: "Timeout (seconds)" }).fill("300");
      await page.getByRole("button", { name: "Save policy" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor(LONG);
      await screenshot(page, "policy-editor");
      await page.reload();
      await expect.poll(() => page.getByRole("textbox", { name: "Allow rules" }).inputValue(), LONG).toBe("Bash(sh -c:*)");

      await openNewSession(page, ui.url);
      await sendMessage(page, "Please say ok");
      await waitForReply(page, "The tool said: policy-ok");
      const record = decisionCard(page, "Bash asked to run");
      await expect.poll(() => record.innerText(), LONG).toContain("Allowed by the agent's policy (rule Bash(sh -c:*)).");
      expect(await inboxLink(page).getAttribute("aria-label")).toBe("Inbox");
    } finally {
      await ui.stack.call("PUT", "/api/agents/claude/policy", { allow: [], timeoutSec: 600 });
    }
  });
});
