// Debian's chromium, driven by playwright-core. Under CI=true a missing browser fails the run;
// elsewhere the browser tests are skipped, loudly.

import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { describe } from "vitest";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

const wanted = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** The browser to use, or undefined (after failing under CI, or warning elsewhere). */
function findChromium(): string | undefined {
  if (existsSync(wanted)) return wanted;
  const why = `no chromium at ${wanted} (set CHROMIUM_PATH, or install it: apt-get install chromium)`;
  if (process.env.CI === "true") throw new Error(`Browser tests cannot run under CI=true: ${why}`);
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n  SKIPPING THE BROWSER TESTS: ${why}\n${bar}\n`);
  return undefined;
}

export const chromiumPath = findChromium();

/** `describe` when there is a browser, `describe.skip` otherwise. */
export const describeInBrowser = chromiumPath ? describe : describe.skip;

/**
 * A fresh headless chromium. Playwright gives each launch a new temporary --user-data-dir and
 * removes it on close; every test takes its own context (cookies, storage) from it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error(`no chromium at ${wanted}`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS });
}
