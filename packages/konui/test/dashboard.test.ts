import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { openDatabase, type OpenDatabase } from "../src/db/open.ts";
import { API_CSP, PAGE_CSP } from "../src/dashboard/security-headers.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { JWT_SECRET, silentLogger, tempDir, testConfig } from "./support/harness.ts";

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body></body></html>';
const SCRIPT = "console.log('dashboard');";
const SECRET = "not for browsers";

interface Served {
  request(url: string, init?: RequestInit): Promise<Response>;
  close(): void;
}

/** konui's app over a dashboard dir (`dist` inside a temp dir, beside a file that must stay private). */
function serve(dir: string, dashboardDir: string): Served {
  const database: OpenDatabase = openDatabase(path.join(dir, "konui.sqlite"));
  const config = testConfig(dir, { KONUI_DASHBOARD_DIR: dashboardDir });
  const { app } = createApp({ config, db: database.db, konsole: new FakeKonsole(), logger: silentLogger, jwtSecret: JWT_SECRET });
  return { request: async (url, init) => app.request(url, init), close: () => database.close() };
}

describe("konui serves the built dashboard", () => {
  let dir: string;
  let served: Served;

  beforeAll(() => {
    dir = tempDir();
    const dist = path.join(dir, "dist");
    fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
    fs.writeFileSync(path.join(dist, "index.html"), INDEX);
    fs.writeFileSync(path.join(dist, "assets", "index-abc123.js"), SCRIPT);
    fs.writeFileSync(path.join(dist, "assets", "index-abc123.css"), "body{}");
    fs.writeFileSync(path.join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    fs.writeFileSync(path.join(dist, ".env"), SECRET);
    fs.writeFileSync(path.join(dir, "secret.txt"), SECRET);
    served = serve(dir, dist);
  });

  afterAll(() => {
    served.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers / and every client-side route with index.html under the page policy, never cached stale", async () => {
    for (const url of ["/", "/login", "/sessions/claude", "/sessions/claude/0b6f", "/kontasks/42?x=1", "/admin/guardrails?agent=claude", "/assets"]) {
      const res = await served.request(url);
      expect(res.status, url).toBe(200);
      expect(await res.text(), url).toBe(INDEX);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("answers HEAD like GET, without a body", async () => {
    const res = await served.request("/sessions/claude", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toBe("");
  });

  it("serves hashed assets with their type, cached for good", async () => {
    const script = await served.request("/assets/index-abc123.js");
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(SCRIPT);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await served.request("/assets/index-abc123.css")).headers.get("content-type")).toBe("text/css; charset=utf-8");
    const icon = await served.request("/favicon.svg");
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(icon.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers an unknown asset with a 404 in the error shape, not index.html", async () => {
    const res = await served.request("/assets/index-gone.js");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    expect(res.headers.get("content-security-policy")).toBe(API_CSP);
  });

  it("never serves a file outside the dashboard or a hidden one", async () => {
    const attempts = [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/..%5csecret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/%2fetc%2fpasswd",
      "/.env",
      "/%2eenv",
      "/assets/%E0%A4%A",
    ];
    for (const url of attempts) {
      const res = await served.request(url);
      const body = await res.text();
      expect(body, url).not.toContain(SECRET);
      expect(body, url).not.toContain("root:");
      expect([200, 404], url).toContain(res.status);
    }
  });

  it("leaves the API side alone: its routes, its 404s and its policy", async () => {
    const health = await served.request("/health");
    expect(health.status).toBe(200);
    expect(health.headers.get("content-security-policy")).toBe(API_CSP);
    for (const url of ["/api/nothing-here", "/api", "/internal/nothing", "/internal"]) {
      const res = await served.request(url);
      expect(res.headers.get("content-type"), url).toMatch(/^application\/json/);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.headers.get("content-security-policy"), url).toBe(API_CSP);
    }
    const post = await served.request("/sessions/claude", { method: "POST" });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("konui without a built dashboard", () => {
  it("answers pages with a 503 that says how to build it, and the API as usual", async () => {
    const dir = tempDir();
    const served = serve(dir, path.join(dir, "no-dist-here"));
    try {
      const page = await served.request("/sessions/claude");
      expect(page.status).toBe(503);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(page.headers.get("content-security-policy")).toBe(PAGE_CSP);
      const text = await page.text();
      expect(text).toContain("The dashboard is not built");
      expect(text).toContain("--filter @kon/dashboard build");
      expect(text).toContain("KONUI_DASHBOARD_DIR");
      expect((await served.request("/assets/index-abc123.js")).status).toBe(404);
      expect((await served.request("/health")).status).toBe(200);
      const login = await served.request("/api/token", { method: "POST", body: new URLSearchParams({ username: "admin", password: "wrong" }) });
      expect(login.status).toBe(401);
    } finally {
      served.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("KONUI_DASHBOARD_DIR", () => {
  const token = { KONSOLE_SERVICE_TOKEN: "0123456789abcdef" };

  it("defaults to the dashboard package's build output, wherever konui is started from", () => {
    const expected = fileURLToPath(new URL("../../dashboard/dist", import.meta.url));
    expect(loadConfig(token).dashboardDir).toBe(expected);
  });

  it("is resolved to an absolute path when set", () => {
    expect(loadConfig({ ...token, KONUI_DASHBOARD_DIR: "some/dist" }).dashboardDir).toBe(path.resolve("some/dist"));
  });
});
