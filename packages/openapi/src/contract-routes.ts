import type { Env, Hono, Schema } from "hono";
import { Hono as HonoApp } from "hono";
import { openApiDocument, type ApiInfo } from "./document.ts";
import { DOCS_PAGE_CSP, docsPage, scalarBundle } from "./docs-page.ts";
import { documented } from "./operation.ts";

/**
 * `GET {base}/openapi.json` (the document of every route `app` has when it is first asked for)
 * and `GET {base}/docs` (Scalar, served from this origin). Mount at `base`, before any
 * authentication: neither holds data.
 */
export function contractRoutes<E extends Env, S extends Schema, P extends string>(base: string, app: Hono<E, S, P>, info: ApiInfo) {
  let document: ReturnType<typeof openApiDocument> | undefined;
  const tags = ["contract"];
  return new HonoApp()
    .get("/openapi.json", documented({ summary: "This OpenAPI document", tags, public: true, ok: { 200: "application/json" } }), async (c) => {
      document ??= openApiDocument(app, info);
      return c.json(await document, 200);
    })
    .get("/docs", documented({ summary: "Interactive API documentation (Scalar)", tags, public: true, ok: { 200: "text/html" } }), (c) => {
      c.header("Content-Security-Policy", DOCS_PAGE_CSP);
      c.header("Referrer-Policy", "no-referrer");
      c.header("Cache-Control", "no-store");
      return c.html(docsPage(`${info.title} API`, `${base}/openapi.json`, `${base}/docs/scalar.js`), 200);
    })
    .get("/docs/scalar.js", documented({ summary: "The docs page's script", tags, public: true, ok: { 200: "text/javascript" } }), async (c) => {
      c.header("Content-Type", "text/javascript; charset=utf-8");
      c.header("Cache-Control", "public, max-age=3600");
      return c.body(new Uint8Array(await scalarBundle()), 200);
    });
}
