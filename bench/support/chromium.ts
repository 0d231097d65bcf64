// Debian's chromium driven by playwright-core, with the flags the project's browser tests use
// (test/browser/support/chromium.ts imports vitest, which a plain script cannot).

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

/** A fresh headless chromium (playwright gives each launch its own temporary --user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`no chromium at ${executablePath} (set CHROMIUM_PATH, or apt-get install chromium)`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}
