import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "../support/chromium-launch.ts";
import { startContractStack, type ContractStack } from "../contract/contract-stack.ts";
import { describeInBrowser } from "./support/chromium.ts";

// The API reference pages render from each service's own origin under their strict policy:
// no console error (a CSP violation is one), no request to anywhere else.

let stack: ContractStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startContractStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describeInBrowser("the API docs pages", () => {
  it.each([
    ["konui", "/api/docs", "kontasks"],
    ["konsole", "/docs", "hot pool"],
  ] as const)("%s's renders its operations with nothing blocked and nothing fetched elsewhere", async (service, docsPath, tag) => {
    const origin = service === "konui" ? stack.konui.url : stack.konsole.url;
    const page = await browser.newPage();
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith("data:")) elsewhere.push(request.url());
    });
    const response = await page.goto(`${origin}${docsPath}`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    await page.getByText(tag, { exact: false }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `test-artifacts/screenshots/api-docs-${service}.png` });
    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  });
});
