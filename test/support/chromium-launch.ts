// Debian's chromium driven by playwright-core, with the project's flags; no test runner needed,
// so benchmarks launch it the same way the browser tests do.

import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const wantedChromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const chromiumMissing = (): string | undefined =>
  existsSync(wantedChromium) ? undefined : `no chromium at ${wantedChromium} (set CHROMIUM_PATH, or install it: apt-get install chromium)`;

/**
 * A fresh headless chromium. Playwright gives each launch a new temporary --user-data-dir and
 * removes it on close; every test takes its own context (cookies, storage) from it.
 */
export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  return chromium.launch({ executablePath: wantedChromium, headless: true, args: CHROMIUM_FLAGS });
}
