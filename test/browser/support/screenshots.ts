// Every page the tests look at is kept as a PNG under test-artifacts/screenshots (git-ignored);
// the few shown in the README are refreshed into docs/screenshots with UPDATE_DOCS_SCREENSHOTS=1.

import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

const root = path.resolve(import.meta.dirname, "..", "..", "..");
export const artifactsDir = path.join(root, "test-artifacts", "screenshots");
const docsDir = path.join(root, "docs", "screenshots");

function fileName(name: string): string {
  return `${name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase()}.png`;
}

export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, fileName(name));
  await page.screenshot({ path: file, fullPage: true });
  if (options.docs && process.env.UPDATE_DOCS_SCREENSHOTS === "1") {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(file, path.join(docsDir, fileName(name)));
  }
  return file;
}
