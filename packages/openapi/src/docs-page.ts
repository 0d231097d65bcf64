import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

// The package exports no path to its browser bundle; it sits beside the exported stylesheet.
const scalarDist = path.dirname(createRequire(import.meta.url).resolve("@scalar/api-reference/style.css"));
const bundlePath = path.join(scalarDist, "browser", "standalone.js");

let bundle: Promise<Buffer> | undefined;

/** Scalar's standalone bundle, read from node_modules once: the docs page needs no network. */
export function scalarBundle(): Promise<Buffer> {
  bundle ??= fs.readFile(bundlePath);
  return bundle;
}

/** Nothing leaves the origin: Scalar without its web fonts, telemetry or AI agent. */
const scalarConfiguration = { withDefaultFonts: false, telemetry: false, agent: { disabled: true }, hideClientButton: false };

/**
 * The docs page's own policy: Scalar's script from this origin and nothing inline; requests only
 * to this origin (the document and "try it"). Scalar adds `<style>` elements and style attributes
 * as it renders, so styles need 'unsafe-inline' (as the dashboard's do): CSS that can reach
 * nothing outside the origin.
 */
export const DOCS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function docsPage(title: string, documentUrl: string, bundleUrl: string): string {
  const configuration = JSON.stringify(scalarConfiguration).replaceAll('"', "&quot;");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
</head>
<body>
<script id="api-reference" data-url="${documentUrl}" data-configuration="${configuration}"></script>
<script src="${bundleUrl}"></script>
</body>
</html>
`;
  return html;
}
