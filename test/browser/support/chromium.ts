// Under CI=true a missing browser fails the run; elsewhere the browser tests are skipped, loudly.

import { describe } from "vitest";
import { chromiumMissing } from "../../support/chromium-launch.ts";

function browserAvailable(): boolean {
  const why = chromiumMissing();
  if (!why) return true;
  if (process.env.CI === "true") throw new Error(`Browser tests cannot run under CI=true: ${why}`);
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n  SKIPPING THE BROWSER TESTS: ${why}\n${bar}\n`);
  return false;
}

/** `describe` when there is a browser, `describe.skip` otherwise. */
export const describeInBrowser = browserAvailable() ? describe : describe.skip;
