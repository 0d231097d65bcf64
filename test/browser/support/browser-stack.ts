// The whole stack (real konui + konsole + `claude` CLI against the Messages API stand-in) with
// konui serving the built dashboard, and a chromium to look at it: one per test file.

import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { dashboardDist, ensureDashboardBuilt } from "../../../scripts/dashboard-build.mjs";
import { ADMIN_PASSWORD, startStack, type Stack, type StackOptions } from "../../e2e/stack.ts";
import { launchChromium } from "../../support/chromium-launch.ts";
import { PageWatch } from "./page-watch.ts";
import { screenshot } from "./screenshots.ts";

export { ADMIN_PASSWORD };

export interface BrowserStack {
  stack: Stack;
  browser: Browser;
  /** konui's base URL (no trailing slash). */
  url: string;
  /** A page in a fresh context (own cookies and storage), watched for errors, dialogs and requests. */
  newPage(name: string, options?: BrowserContextOptions): Promise<PageWatch>;
}

/**
 * Registers the file's hooks: the stack and chromium start once, every page a test opened is
 * photographed and closed after it, and any console error, page error or dialog fails the test.
 */
export function useBrowserStack(options: StackOptions): BrowserStack {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let open: PageWatch[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt({ log: () => {} });
    stack = await startStack({ ...options, konuiEnv: { KONUI_DASHBOARD_DIR: dashboardDist, ...options.konuiEnv } });
    browser = await launchChromium();
  }, 300_000);

  afterEach(async (context) => {
    const pages = open;
    open = [];
    const problems: string[] = [];
    for (const [index, watch] of pages.entries()) {
      if (!watch.page.isClosed()) {
        await screenshot(watch.page, `${context.task.name}-${watch.name}-${index}-last`).catch(() => {});
        await watch.page.context().close();
      }
      problems.push(...watch.problems);
      if (context.task.result?.state === "fail" && watch.pending.size > 0) {
        console.warn(`${watch.name}: still waiting for ${[...watch.pending].map((r) => `${r.method()} ${r.url()}`).join(", ")}`);
      }
    }
    expect(problems, "console errors, page errors or dialogs").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 120_000);

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} did not start`);
    return value;
  };
  return {
    get stack() {
      return need(stack, "the stack");
    },
    get browser() {
      return need(browser, "chromium");
    },
    get url() {
      return need(stack, "the stack").konui.url;
    },
    async newPage(name, contextOptions = {}) {
      const context = await need(browser, "chromium").newContext({ viewport: { width: 1280, height: 860 }, ...contextOptions });
      const page = await context.newPage();
      const watch = new PageWatch(page, name);
      open.push(watch);
      return watch;
    },
  };
}

/** Logs in through the login page and waits for the signed-in shell. */
export async function logIn(page: Page, baseUrl: string, username = "admin", password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole("textbox", { name: "Username" }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}
