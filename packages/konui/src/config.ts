import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_SCRYPT_N } from "./auth/password.ts";

// The only place that reads process.env.

const port = z.coerce.number().int().min(0).max(65_535);
const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** An address or a CIDR block whose `X-Forwarded-For` is believed. */
export interface TrustedProxy {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

function parseTrustedProxy(entry: string): TrustedProxy | undefined {
  const [address = "", prefixText, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return undefined;
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(bits)) || prefix > bits) return undefined;
  return { address, prefix, family: family === 4 ? "ipv4" : "ipv6" };
}

const trustedProxies = z
  .string()
  .default("")
  .transform((text, ctx) => {
    const proxies: TrustedProxy[] = [];
    for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
      const proxy = parseTrustedProxy(entry);
      if (proxy) proxies.push(proxy);
      else ctx.addIssue({ code: "custom", message: `${JSON.stringify(entry)} is not an IP address or CIDR block` });
    }
    return proxies;
  });

const EnvSchema = z.object({
  KONUI_PORT: port.default(7800),
  KONUI_HOST: z.string().min(1).default("127.0.0.1"),
  KONUI_DATA_DIR: z.string().min(1).default("./.data/konui"),
  KONSOLE_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:7801"),
  KONSOLE_SERVICE_TOKEN: z.string({ error: "is required" }).min(16, "must be at least 16 characters"),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  KONUI_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  KONUI_ACCESS_TOKEN_TTL_SEC: seconds(900, 30, 86_400),
  KONUI_PROCESS_TOKEN_TTL_SEC: seconds(3_600, 60, 86_400),
  KONUI_REFRESH_TOKEN_TTL_SEC: seconds(14 * 86_400, 300, 400 * 86_400),
  KONUI_SWEEP_INTERVAL_SEC: seconds(60, 1, 86_400),
  KONUI_TRUSTED_PROXIES: trustedProxies,
  KONUI_MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(50),
  KONUI_DASHBOARD_DIR: z.string().min(1).optional(),
  /** Bearer token for `GET /metrics` (Prometheus); an admin's access token works too, and is the only way when unset. */
  KONUI_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  KONUI_LIVE_MAX_BUFFERED_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  konsoleUrl: string;
  serviceToken: string;
  adminPassword: string | undefined;
  jwtSecret: string | undefined;
  accessTokenTtlSec: number;
  processTokenTtlSec: number;
  /** How long a browser stays logged in without using it (the refresh cookie's life). */
  refreshTokenTtlSec: number;
  sweepIntervalSec: number;
  /** Proxies whose `X-Forwarded-For` names the client (login throttling keys on it); none by default. */
  trustedProxies: TrustedProxy[];
  /** Agent sessions one user may have open at once, over all agents. */
  maxSessionsPerUser: number;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  /** Bearer token Prometheus scrapes `GET /metrics` with; undefined = admins' access tokens only. */
  metricsToken: string | undefined;
  /** A dashboard socket with more unsent bytes than this is closed with 4008 (too slow). */
  liveMaxBufferedBytes: number;
  /** The built dashboard (Vite's `dist`: index.html + assets/) served at `/`. */
  dashboardDir: string;
  /** Pieces of a streaming reply closer together than this go to dashboards as one frame. */
  progressWindowMs: number;
  /** scrypt N for new password hashes (tests lower it). */
  passwordCost: number;
  /** Largest multipart (attachment) request body. */
  maxUploadBytes: number;
  /** Largest body of any other request (a kontask's HTML output may be ~2 MB). */
  maxJsonBytes: number;
}

/** The dashboard package's build output, found from this file's place in the workspace. */
const bundledDashboardDir = fileURLToPath(new URL("../../dashboard/dist", import.meta.url));

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`konui: invalid configuration\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    port: e.KONUI_PORT,
    host: e.KONUI_HOST,
    dataDir: path.resolve(e.KONUI_DATA_DIR),
    konsoleUrl: e.KONSOLE_URL.replace(/\/+$/, ""),
    serviceToken: e.KONSOLE_SERVICE_TOKEN,
    adminPassword: e.ADMIN_PASSWORD,
    jwtSecret: e.KONUI_JWT_SECRET,
    accessTokenTtlSec: e.KONUI_ACCESS_TOKEN_TTL_SEC,
    processTokenTtlSec: e.KONUI_PROCESS_TOKEN_TTL_SEC,
    refreshTokenTtlSec: e.KONUI_REFRESH_TOKEN_TTL_SEC,
    sweepIntervalSec: e.KONUI_SWEEP_INTERVAL_SEC,
    trustedProxies: e.KONUI_TRUSTED_PROXIES,
    maxSessionsPerUser: e.KONUI_MAX_SESSIONS_PER_USER,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.KONUI_METRICS_TOKEN,
    liveMaxBufferedBytes: e.KONUI_LIVE_MAX_BUFFERED_BYTES,
    dashboardDir: path.resolve(e.KONUI_DASHBOARD_DIR ?? bundledDashboardDir),
    progressWindowMs: 40,
    maxUploadBytes: 16 * 1024 * 1024,
    maxJsonBytes: 8 * 1024 * 1024,
    passwordCost: DEFAULT_SCRYPT_N,
  };
}
