import fs from "node:fs/promises";
import path from "node:path";
import type { Context } from "hono";
import { Hono } from "hono";
import { contentTypeOf } from "./content-types.ts";
import { findDashboardFile, readIndexHtml } from "./dashboard-files.ts";
import { NOT_BUILT_PAGE } from "./not-built-page.ts";
import { ASSET_CACHE, INDEX_CACHE, pageHeaders } from "./security-headers.ts";

/** Paths that belong to the API side: never answered with the dashboard. */
function isServicePath(requestPath: string): boolean {
  return /^\/(api|internal)(\/|$)/.test(requestPath) || requestPath === "/health";
}

function isAssetPath(requestPath: string): boolean {
  return requestPath.startsWith("/assets/");
}

function respond(c: Context, body: Buffer | string, status: 200 | 503, type: string, cache: string): Response {
  for (const [name, value] of Object.entries(pageHeaders)) c.header(name, value);
  c.header("Content-Type", type);
  c.header("Cache-Control", cache);
  return c.body(typeof body === "string" ? body : new Uint8Array(body), status);
}

/**
 * The built dashboard: its files as they are (hashed assets cached for good), and index.html for
 * every other GET/HEAD outside the API, so client-side routes survive a reload.
 */
export function dashboardRoutes(dashboardDir: string) {
  const root = path.resolve(dashboardDir);
  return new Hono().get("*", async (c) => {
    const requestPath = c.req.path;
    if (isServicePath(requestPath)) return c.notFound();
    const found = await findDashboardFile(root, requestPath);
    if (found.kind === "file") {
      const body = await fs.readFile(found.path);
      return respond(c, body, 200, contentTypeOf(found.path), isAssetPath(requestPath) ? ASSET_CACHE : INDEX_CACHE);
    }
    if (isAssetPath(requestPath)) return c.notFound();
    const index = await readIndexHtml(root);
    if (!index) return respond(c, NOT_BUILT_PAGE, 503, "text/html; charset=utf-8", "no-store");
    return respond(c, index, 200, "text/html; charset=utf-8", INDEX_CACHE);
  });
}
