import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveJwtSecret } from "../src/auth/jwt-secret.ts";
import { ConfigError, loadConfig } from "../src/config.ts";
import { tempDir } from "./support/harness.ts";

const token = { KONSOLE_SERVICE_TOKEN: "0123456789abcdef" };

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(token);
    expect(config).toMatchObject({
      port: 7800,
      host: "127.0.0.1",
      dataDir: path.resolve("./.data/konui"),
      konsoleUrl: "http://127.0.0.1:7801",
      adminPassword: undefined,
      accessTokenTtlSec: 900,
      processTokenTtlSec: 3600,
      sweepIntervalSec: 60,
      logLevel: "info",
    });
  });

  it("reads every variable, treating blank ones as unset", () => {
    const config = loadConfig({
      ...token,
      KONUI_PORT: "9000",
      KONUI_HOST: "0.0.0.0",
      KONUI_DATA_DIR: "/tmp/k",
      KONSOLE_URL: "http://konsole:7801/",
      ADMIN_PASSWORD: "",
      KONUI_ACCESS_TOKEN_TTL_SEC: "60",
      LOG_LEVEL: "silent",
    });
    expect(config).toMatchObject({ port: 9000, host: "0.0.0.0", dataDir: "/tmp/k", konsoleUrl: "http://konsole:7801", adminPassword: undefined, accessTokenTtlSec: 60 });
  });

  it("fails with a message naming each bad variable", () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/KONSOLE_SERVICE_TOKEN: is required/);
    expect(() => loadConfig({ KONSOLE_SERVICE_TOKEN: "short" })).toThrow(/KONSOLE_SERVICE_TOKEN: must be at least 16/);
    expect(() => loadConfig({ ...token, KONUI_PORT: "http" })).toThrow(/KONUI_PORT/);
    expect(() => loadConfig({ ...token, KONSOLE_URL: "ftp://x" })).toThrow(/KONSOLE_URL/);
    expect(() => loadConfig({ ...token, ADMIN_PASSWORD: "abc" })).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadConfig({ ...token, LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ ...token, KONUI_TRUSTED_PROXIES: "10.0.0.1, proxy.local" })).toThrow(/KONUI_TRUSTED_PROXIES: "proxy.local" is not/);
    expect(() => loadConfig({ ...token, KONUI_TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/KONUI_TRUSTED_PROXIES/);
    expect(() => loadConfig({ ...token, KONUI_MAX_SESSIONS_PER_USER: "0" })).toThrow(/KONUI_MAX_SESSIONS_PER_USER/);
  });

  it("reads trusted proxies as addresses and CIDR blocks, none by default", () => {
    expect(loadConfig(token).trustedProxies).toEqual([]);
    expect(loadConfig({ ...token, KONUI_TRUSTED_PROXIES: "10.0.0.0/8 ::1,192.168.1.2" }).trustedProxies).toEqual([
      { address: "10.0.0.0", prefix: 8, family: "ipv4" },
      { address: "::1", prefix: 128, family: "ipv6" },
      { address: "192.168.1.2", prefix: 32, family: "ipv4" },
    ]);
  });
});

describe("resolveJwtSecret", () => {
  it("generates a secret once, keeps it in the data dir, and prefers KONUI_JWT_SECRET", () => {
    const dir = tempDir();
    const first = resolveJwtSecret(dir, undefined);
    expect(resolveJwtSecret(dir, undefined)).toEqual(first);
    expect(fs.statSync(path.join(dir, "jwt-secret")).mode & 0o777).toBe(0o600);
    expect(new TextDecoder().decode(resolveJwtSecret(dir, "z".repeat(32)))).toBe("z".repeat(32));
  });
});
