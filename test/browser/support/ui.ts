// Steps people take in the dashboard, by the accessible names of UI-CONTRACT.md.

import type { Locator, Page } from "playwright-core";

const LONG = { timeout: 120_000 };

export function messageLog(page: Page): Locator {
  return page.getByRole("log", { name: "Messages" });
}

export function articles(page: Page): Locator {
  return messageLog(page).getByRole("article");
}

/** From the sessions list: a new session, opened; resolves to its id (from the URL). */
export async function openNewSession(page: Page, baseUrl: string): Promise<string> {
  await page.goto(`${baseUrl}/sessions/claude`);
  await page.getByRole("button", { name: "New session" }).first().click();
  await page.waitForURL(/\/sessions\/claude\/[^/]+$/);
  await messageLog(page).waitFor();
  return new URL(page.url()).pathname.split("/").at(-1) ?? "";
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

/** The finished assistant article whose text contains `text`. */
export async function waitForReply(page: Page, text: string | RegExp): Promise<Locator> {
  const reply = articles(page).filter({ hasText: text }).and(page.locator(":not([aria-busy='true'])")).last();
  await reply.waitFor(LONG);
  return reply;
}

/** Waits until no turn runs: the "Interrupt" button is gone. */
export async function waitForIdle(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Interrupt" }).waitFor({ state: "detached", ...LONG });
}

export { LONG };
