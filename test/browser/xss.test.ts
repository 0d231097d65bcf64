// Hostile markup in kontask output, kontask titles, message text, tool input and a decision's tool
// input and denial message: nothing runs, no dialog opens, and the page makes no request beyond
// the app's own.

import type { Kontask } from "@kon/protocol";
import { expect, it } from "vitest";
import { textReply, toolCall, userPrompts, type Scenario } from "../support/messages-api.ts";
import { logIn, useBrowserStack } from "./support/browser-stack.ts";
import { describeInBrowser } from "./support/chromium.ts";
import { EXFIL_HOST, HOSTILE_KONTASK_OUTPUT, HOSTILE_LABEL, HOSTILE_LINK, HOSTILE_TEXT } from "./support/hostile-markup.ts";
import type { PageWatch } from "./support/page-watch.ts";
import { screenshot } from "./support/screenshots.ts";
import { articles, LONG, openNewSession, sendMessage, waitForReply } from "./support/ui.ts";

/** WebFetch is outside the agent's tools, so this call waits for a person's decision. */
const hostileFetch = toolCall("WebFetch", { url: `https://${EXFIL_HOST}/page?q=<script>`, prompt: HOSTILE_TEXT }, (results) => `Refused: ${results.map((r) => r.text).join(" ")}`);

/** Any message with markup gets a Bash call whose input is markup too, then a reply quoting it; "fetch" asks for a WebFetch. */
const scenario: Scenario = (request) => {
  const last = userPrompts(request).at(-1) ?? "";
  if (/^Fetch this/.test(last)) return hostileFetch(request);
  if (!last.includes("<script>")) return textReply("OK");
  return toolCall("Bash", { command: `printf %s "<b>bold</b>"`, description: HOSTILE_TEXT }, () => `Here it is: ${HOSTILE_TEXT} ${HOSTILE_LINK}`)(request);
};

const ui = useBrowserStack({ scenario: () => scenario });

/** The app's own requests: its pages, its assets and its API (fetches and the live socket). */
function unexpectedRequests(watch: PageWatch, baseUrl: string): string[] {
  const origin = new URL(baseUrl);
  return watch.requests
    .filter((request) => {
      if (/^(data|blob|about):/.test(request.url)) return false;
      const url = new URL(request.url);
      const own = url.host === origin.host && (url.protocol === "http:" || url.protocol === "ws:");
      if (!own) return true;
      if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/assets/") || url.pathname === "/favicon.ico") return false;
      // Navigations of the top page to the app's routes.
      return !(request.resourceType === "document" && request.mainFrame && !url.pathname.startsWith("/xss-ran"));
    })
    .map((request) => `${request.resourceType} ${request.method} ${request.url} (${request.mainFrame ? "page" : "inner frame"})`);
}

async function expectNothingRan(watch: PageWatch): Promise<void> {
  // Whatever the payloads did would have happened once every frame has loaded (images failed,
  // inner frames done) and the page has run its next task.
  for (const frame of watch.page.frames()) await frame.waitForLoadState("load");
  await watch.page.evaluate("new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))");
  expect(await watch.page.evaluate("window.__kon_xss")).toBeUndefined();
  expect(watch.dialogs).toEqual([]);
  expect(unexpectedRequests(watch, ui.url)).toEqual([]);
  expect(watch.requests.filter((request) => request.url.includes("/xss-ran") || request.url.includes(EXFIL_HOST))).toEqual([]);
}

/**
 * The browser reporting that it refused hostile content (CSP, the sandbox) is the defence working,
 * not an app error; every other console error still fails the test.
 */
function dropRefusals(watch: PageWatch): void {
  const refusal = /violates the following Content Security Policy|Blocked (script execution|form submission)|sandboxed and the 'allow-/;
  const kept = watch.problems.filter((problem) => !(problem.startsWith("console error") && refusal.test(problem)));
  if (process.env.DEBUG_XSS) console.log("refused:", watch.problems.filter((p) => !kept.includes(p)), "requests:", watch.requests.map((r) => r.url));
  watch.problems.splice(0, watch.problems.length, ...kept);
}

describeInBrowser("hostile markup in the dashboard", () => {
  it("renders a kontask's hostile output, title and description without running or loading anything", async () => {
    const created = await ui.stack.call<Kontask>("POST", "/api/kontasks", {
      title: `Report ${HOSTILE_TEXT}`,
      description: HOSTILE_TEXT,
      status: "awaiting_input",
      tags: ["xss"],
      context: { output: HOSTILE_KONTASK_OUTPUT, choices: [{ label: `Approve ${HOSTILE_LABEL}`, value: "approve" }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const watch = await ui.newPage("hostile-kontask");
    const { page } = watch;
    await logIn(page, ui.url);

    await page.goto(`${ui.url}/kontasks`);
    const link = page.getByRole("link", { name: /^Report / });
    await link.waitFor(LONG);
    expect(await link.innerText()).toContain("<script>");
    await expectNothingRan(watch);

    await link.click();
    await page.getByRole("heading", { name: /^Report / }).waitFor();
    const frame = page.locator('iframe[title="Kontask output"]');
    const sandbox = await frame.getAttribute("sandbox");
    expect(sandbox).not.toBeNull();
    expect(sandbox).not.toContain("allow-scripts");
    expect(sandbox).not.toContain("allow-same-origin");
    const output = page.frameLocator('iframe[title="Kontask output"]');
    await output.getByText("Quarterly report").waitFor();
    for (const id of ["#js-link", "#js-link-mixed", "#form-submit"]) {
      const control = output.locator(id);
      if ((await control.count()) > 0) await control.click({ timeout: 10_000 });
    }
    await expectNothingRan(watch);
    await screenshot(page, "xss-kontask");
    dropRefusals(watch);
  });

  it("shows markup in message text and tool input as text", async () => {
    const watch = await ui.newPage("hostile-messages");
    const { page } = watch;
    await logIn(page, ui.url);
    await openNewSession(page, ui.url);
    await sendMessage(page, `Please echo ${HOSTILE_TEXT} ${HOSTILE_LINK}`);
    await articles(page).filter({ hasText: "<script>" }).first().waitFor(LONG);
    await waitForReply(page, "Here it is:");

    const tool = page.getByRole("log", { name: "Messages" }).locator("details").first();
    await tool.locator("summary").click();
    await expect.poll(() => tool.innerText()).toContain("onerror=");
    for (const link of await page.getByRole("log", { name: "Messages" }).getByRole("link", { name: "click me" }).all()) {
      await link.click({ timeout: 10_000 });
    }
    await expectNothingRan(watch);
    await page.reload();
    await articles(page).filter({ hasText: "Here it is:" }).first().waitFor(LONG);
    await expectNothingRan(watch);
    await screenshot(page, "xss-messages");
    dropRefusals(watch);
  });

  it("shows markup in a decision's tool input and denial message as text", async () => {
    const watch = await ui.newPage("hostile-decision");
    const { page } = watch;
    await logIn(page, ui.url);
    await openNewSession(page, ui.url);
    await sendMessage(page, `Fetch this ${HOSTILE_TEXT}`);
    const card = page.getByRole("group", { name: "WebFetch wants to run" });
    await card.waitFor(LONG);
    await expect.poll(() => card.innerText()).toContain("onerror=");
    await expectNothingRan(watch);
    await page.goto(`${ui.url}/inbox`);
    const inboxCard = page.getByRole("group", { name: "WebFetch wants to run" });
    await expect.poll(() => inboxCard.innerText(), LONG).toContain("<script>");
    await expectNothingRan(watch);

    await inboxCard.getByRole("button", { name: "Deny" }).click();
    await inboxCard.getByRole("textbox", { name: "Message to the agent" }).fill(`No ${HOSTILE_TEXT}`);
    await inboxCard.getByRole("button", { name: "Send denial" }).click();
    // The hostile kontask of the first test still waits; the answered decision leaves.
    await inboxCard.waitFor({ state: "detached", ...LONG });
    await expectNothingRan(watch);
    await page.goBack();
    await waitForReply(page, "Refused:");
    const record = page.getByRole("group", { name: "WebFetch asked to run" });
    await expect.poll(() => record.innerText(), LONG).toContain("Told the agent: No <img");
    await expectNothingRan(watch);
    await screenshot(page, "xss-decision");
    dropRefusals(watch);
  });
});
