// First load of the dashboard: the JavaScript and CSS the login page and the session page load,
// raw and gzipped (level 9, as a compressing proxy would serve them), read from the built dist
// (built first when missing or older than its sources). Vite's manifest is used when the build
// writes one (`build.manifest: true`); otherwise index.html, the static imports of its chunks, and
// the chunk named after a route's lazily imported page. Asserts nothing. Run: tsx bench/dashboard-size.ts

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { dashboardDist, ensureDashboardBuilt } from "../scripts/dashboard-build.mjs";

const GOAL_KB = 150;

/** The routes measured and the page module each renders (eager or lazy, the bench finds out). */
const ROUTES = [
  { name: "login page", path: "/login", page: "src/pages/login-page.tsx" },
  { name: "session page", path: "/sessions/claude/:id", page: "src/pages/session-page.tsx" },
];

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** Files (relative to dist) a route loads, from Vite's manifest: the entry and the route's lazy page, with their static imports and CSS. */
function filesFromManifest(manifest: Manifest, page: string): Set<string> {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  if (manifest[page]?.isDynamicEntry) visit(page);
  return files;
}

const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g;

/** Files (relative to dist) a route loads, read from index.html and the chunks' static imports. */
function filesFromHtml(page: string): Set<string> {
  const html = readFileSync(path.join(dashboardDist, "index.html"), "utf8");
  const files = new Set<string>();
  const addJs = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(path.join(dashboardDist, file), "utf8");
    for (const [, imported] of code.matchAll(STATIC_IMPORT)) {
      if (imported) addJs(path.posix.normalize(path.posix.join(path.posix.dirname(file), imported)));
    }
  };
  for (const [, src] of html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g)) if (src) addJs(src);
  for (const [, href] of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g)) if (href) addJs(href);
  for (const [, href] of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/([^"]+)"/g)) if (href) files.add(href);
  // A lazily imported page is its own chunk, named after its module.
  const base = path.basename(page).replace(/\.[jt]sx?$/, "");
  for (const file of readdirAssets()) {
    if (!path.basename(file).startsWith(`${base}-`)) continue;
    if (file.endsWith(".js")) addJs(file);
    else if (file.endsWith(".css")) files.add(file);
  }
  return files;
}

function readdirAssets(): string[] {
  const assets = path.join(dashboardDist, "assets");
  return existsSync(assets) ? readdirSync(assets).map((name) => `assets/${name}`) : [];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const built = await ensureDashboardBuilt({ log: (line) => console.log(line) });
const manifestPath = path.join(dashboardDist, ".vite", "manifest.json");
const manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest) : undefined;
console.log(
  `dashboard first-load size bench: ${path.relative(process.cwd(), dashboardDist)} (${built ? "built now" : "current build"}), ` +
    `files from ${manifest ? "Vite's manifest" : "index.html and the chunks' static imports (no manifest: build.manifest is off)"}\n`,
);

let worst = 0;
for (const route of ROUTES) {
  const files = manifest ? filesFromManifest(manifest, route.page) : filesFromHtml(route.page);
  const sizes = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 } };
  const rows: string[] = [];
  for (const file of [...files].sort()) {
    const content = readFileSync(path.join(dashboardDist, file));
    const gzip = gzipSync(content, { level: 9 }).length;
    const kind = file.endsWith(".css") ? "css" : "js";
    sizes[kind].raw += content.length;
    sizes[kind].gzip += gzip;
    rows.push(`    ${file.padEnd(44)} ${kb(content.length).padStart(10)} raw ${kb(gzip).padStart(10)} gzip`);
  }
  const total = sizes.js.gzip + sizes.css.gzip;
  worst = Math.max(worst, total);
  console.log(`${route.name} (${route.path}): ${files.size} files`);
  console.log(rows.join("\n"));
  console.log(
    `  JS ${kb(sizes.js.raw)} raw / ${kb(sizes.js.gzip)} gzip, CSS ${kb(sizes.css.raw)} raw / ${kb(sizes.css.gzip)} gzip; ` +
      `total ${kb(total)} gzip = ${((total / (GOAL_KB * 1024)) * 100).toFixed(0)}% of the ${GOAL_KB} KB goal\n`,
  );
}
console.log(`goal: JS + CSS gzip ≤ ${GOAL_KB} KB for each page: ${worst <= GOAL_KB * 1024 ? "met" : "NOT met"} (largest ${kb(worst)})`);
