// Every page of the dashboard, as an admin, wide and at 390 px in dark mode: each loads from a
// deep link (konui's index.html fallback), under konui's page policy, without a console error.

import { expect, it } from "vitest";
import { plainText } from "../support/messages-api.ts";
import { logIn, useBrowserStack } from "./support/browser-stack.ts";
import { describeInBrowser } from "./support/chromium.ts";
import { screenshot } from "./support/screenshots.ts";

const ui = useBrowserStack({ scenario: () => plainText("OK") });

const PAGES: { path: string; role?: "table" | "spinbutton" | "checkbox" | "textbox" }[] = [
  { path: "/sessions/claude" },
  { path: "/kontasks" },
  { path: "/inbox" },
  { path: "/admin/policy?agent=claude", role: "textbox" },
  { path: "/host" },
  { path: "/admin/pool" },
  { path: "/admin/guardrails?agent=claude", role: "spinbutton" },
  { path: "/admin/budgets", role: "spinbutton" },
  { path: "/admin/flags" },
  { path: "/admin/users" },
  { path: "/admin/usage" },
];

describeInBrowser("every dashboard page", () => {
  for (const [label, options] of [
    ["wide, light", { viewport: { width: 1280, height: 860 }, colorScheme: "light" }],
    ["390 px, dark", { viewport: { width: 390, height: 844 }, colorScheme: "dark" }],
  ] as const) {
    it(`loads each page from a deep link (${label})`, async () => {
      const { page } = await ui.newPage(label, options);
      await logIn(page, ui.url);
      for (const { path, role } of PAGES) {
        const response = await page.goto(`${ui.url}${path}`);
        expect(response?.status(), path).toBe(200);
        expect(response?.headers()["content-security-policy"], path).toContain("script-src 'self'");
        await page.getByRole("navigation", { name: "Main" }).waitFor();
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        if (role) await page.getByRole(role).first().waitFor();
        await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Live" }).waitFor({ timeout: 60_000 });
        // Nothing wider than the window at 390 px.
        const overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
        await screenshot(page, `page-${label}-${path}`);
      }
    });
  }
});
