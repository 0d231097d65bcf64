import os from "node:os";
import path from "node:path";
import { PermissionMode } from "@kon/protocol";
import { z } from "zod";
import { resolveClaudeBin } from "./claude/bin.ts";
import { instanceTagOf } from "./claude/process-tag.ts";

const DEFAULT_ALLOWED_TOOLS = "Bash Read Edit Write Glob Grep";

/** Variables handed to every Claude process as they are, when set. */
const PASS_THROUGH = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LC_ALL",
  "TZ",
  "TMPDIR",
  "TERM",
  "CLAUDE_CONFIG_DIR",
  "IS_SANDBOX",
] as const;
const PASS_THROUGH_PREFIXES = ["ANTHROPIC_", "CLAUDE_CODE_", "DISABLE_"] as const;

/**
 * Set for every Claude process unless the operator sets them: they stop the CLI's traffic
 * besides the Messages API (telemetry, error reports, update checks: DNS look-ups and requests
 * at start and on every prompt) and change nothing a user of konsole sees.
 */
const QUIET_CHILD_DEFAULTS: Readonly<Record<string, string>> = {
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
};

const toolList = z
  .string()
  .transform((value) => value.split(/[\s,]+/).filter((tool) => tool.length > 0));

const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  KONSOLE_PORT: z.coerce.number().int().min(0).max(65_535).default(7801),
  KONSOLE_HOST: z.string().min(1).default("127.0.0.1"),
  KONSOLE_DATA_DIR: z.string().min(1).default("./.data/konsole"),
  KONUI_URL: z.url().default("http://127.0.0.1:7800"),
  KONSOLE_SERVICE_TOKEN: z.string().min(16, "must be at least 16 characters"),
  CLAUDE_BIN: z.string().min(1).optional(),
  KONSOLE_MAX_PROCESSES: positiveInt.max(256).default(4),
  KONSOLE_QUEUE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(100),
  KONSOLE_USER_QUEUE_LIMIT: z.coerce.number().int().min(0).max(100_000).optional(),
  KONSOLE_ALLOWED_TOOLS: z.string().default(DEFAULT_ALLOWED_TOOLS).pipe(toolList),
  KONSOLE_PERMISSION_MODE: PermissionMode.optional(),
  KONSOLE_STOP_GRACE_MS: positiveInt.default(5_000),
  KONSOLE_RESULT_GRACE_MS: positiveInt.default(1_500),
  KONSOLE_LINGER_GRACE_MS: positiveInt.default(3_000),
  KONSOLE_HOT_POOL_SIZE: z.coerce.number().int().min(0).max(64).default(0),
  KONSOLE_HOT_IDLE_SEC: positiveInt.default(600),
  KONSOLE_HOT_MAX_AGE_SEC: positiveInt.max(86_000).default(3_000),
  KONSOLE_HOT_MAX_PROMPTS: z.coerce.number().int().min(0).default(0),
  KONSOLE_HOT_MAX_TURNS: positiveInt.max(500).default(50),
  KONSOLE_HOT_SETTLE_MS: positiveInt.default(500),
  KONSOLE_HOT_REFILL_BACKOFF_MS: positiveInt.default(1_000),
  KONSOLE_HOT_REFILL_MAX_FAILURES: positiveInt.default(5),
  /** Comma-separated folders holding `projects/`; `none` turns the observer off. Default: see observerRoots. */
  KONSOLE_OBSERVE_DIRS: z.string().optional(),
  KONSOLE_OBSERVE_RESCAN_SEC: positiveInt.max(86_400).default(300),
  /** A port of its own for `GET /metrics` without the service token; unset = only on the main port, behind the token. */
  KONSOLE_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  KONSOLE_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  KONSOLE_STREAM_MAX_BUFFERED_BYTES: positiveInt.default(8 * 1024 * 1024),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface KonsoleConfig {
  port: number;
  host: string;
  dataDir: string;
  konuiUrl: string;
  serviceToken: string;
  claudeBin: string;
  maxProcesses: number;
  queueLimit: number;
  /** Waiting turns one user may have; at most `queueLimit`, half of it by default, so others always find room. */
  userQueueLimit: number;
  defaultAllowedTools: string[];
  defaultPermissionMode: PermissionMode | undefined;
  /** After SIGTERM to a process group, how long before SIGKILL; also the wait for a `result` after an interrupt. */
  stopGraceMs: number;
  /** After a process exits without a `result`, how long to wait for the rest of its stdout. */
  resultGraceMs: number;
  /** How long a cold process may live on after its `result` before it is ended. */
  lingerGraceMs: number;
  hotPoolSize: number;
  hotIdleSec: number;
  /** A hot process is retired at this age, and always before its process token expires. */
  hotMaxAgeSec: number;
  /** Prompts a hot process serves before it is retired; 0 = no limit. */
  hotMaxPrompts: number;
  /** `--max-turns` of pre-warmed pool processes (a prompt asking for another cap gets its own process). */
  hotPoolMaxTurns: number;
  /** How long a new hot process must stay alive to count as started (warming → idle). */
  hotSettleMs: number;
  /** The first pause after a failed refill; it doubles with each failure in a row. */
  hotRefillBackoffMs: number;
  /** Failures in a row after which the pool stops refilling (a crash loop). */
  hotRefillMaxFailures: number;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  /** Where `GET /metrics` is served without the service token (0 = any free port); null = nowhere but behind the token. */
  metricsListen: { host: string; port: number } | null;
  /** A journal WebSocket with more unsent bytes than this is closed with 4008 (too slow). */
  streamMaxBufferedBytes: number;
  /** Folders whose `projects/**\/*.jsonl` the observer indexes (missing ones are skipped until they appear); empty = off. */
  observeDirs: string[];
  /** A full rescan of the observed folders this often, besides the file watcher. */
  observeRescanSec: number;
  /** The base environment of every Claude process (before KONUI_URL / KONUI_TOKEN): what passes through, over the quiet defaults. */
  childEnv: Record<string, string>;
  /** Tagged into every Claude process of this konsole (by data dir), so a restart finds what it left. */
  instanceTag: string;
}

function pickChildEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = { ...QUIET_CHILD_DEFAULTS };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const allowed =
      (PASS_THROUGH as readonly string[]).includes(key) || PASS_THROUGH_PREFIXES.some((prefix) => key.startsWith(prefix));
    if (allowed) picked[key] = value;
  }
  return picked;
}

/**
 * The CLI's config dir as konsole runs it (CLAUDE_CONFIG_DIR, else ~/.claude) plus ~/.claude and
 * ~/.config/claude, unless KONSOLE_OBSERVE_DIRS names them.
 */
function observerRoots(setting: string | undefined, env: Record<string, string>): string[] {
  if (setting?.trim().toLowerCase() === "none") return [];
  const home = env.HOME ?? os.homedir();
  const wanted =
    setting === undefined
      ? [env.CLAUDE_CONFIG_DIR ?? path.join(home, ".claude"), path.join(home, ".claude"), path.join(home, ".config", "claude")]
      : setting.split(",").map((dir) => dir.trim()).filter((dir) => dir.length > 0);
  return [...new Set(wanted.map((dir) => path.resolve(dir)))];
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws `ConfigError` naming every bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): KonsoleConfig {
  // An empty variable (compose's `${VAR:-}`) means unset, for konsole and for its children.
  const blankless = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(blankless);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`konsole: invalid configuration\n${problems.join("\n")}`);
  }
  const vars = parsed.data;
  if (vars.KONSOLE_USER_QUEUE_LIMIT !== undefined && vars.KONSOLE_USER_QUEUE_LIMIT > vars.KONSOLE_QUEUE_LIMIT) {
    throw new ConfigError(
      `konsole: invalid configuration\n  KONSOLE_USER_QUEUE_LIMIT: must not exceed KONSOLE_QUEUE_LIMIT (${vars.KONSOLE_QUEUE_LIMIT})`,
    );
  }
  const dataDir = path.resolve(vars.KONSOLE_DATA_DIR);
  return {
    port: vars.KONSOLE_PORT,
    host: vars.KONSOLE_HOST,
    dataDir,
    konuiUrl: vars.KONUI_URL.replace(/\/+$/, ""),
    serviceToken: vars.KONSOLE_SERVICE_TOKEN,
    claudeBin: resolveClaudeBin(vars.CLAUDE_BIN),
    maxProcesses: vars.KONSOLE_MAX_PROCESSES,
    queueLimit: vars.KONSOLE_QUEUE_LIMIT,
    userQueueLimit: vars.KONSOLE_USER_QUEUE_LIMIT ?? Math.ceil(vars.KONSOLE_QUEUE_LIMIT / 2),
    defaultAllowedTools: vars.KONSOLE_ALLOWED_TOOLS,
    defaultPermissionMode: vars.KONSOLE_PERMISSION_MODE,
    stopGraceMs: vars.KONSOLE_STOP_GRACE_MS,
    resultGraceMs: vars.KONSOLE_RESULT_GRACE_MS,
    lingerGraceMs: vars.KONSOLE_LINGER_GRACE_MS,
    hotPoolSize: vars.KONSOLE_HOT_POOL_SIZE,
    hotIdleSec: vars.KONSOLE_HOT_IDLE_SEC,
    hotMaxAgeSec: vars.KONSOLE_HOT_MAX_AGE_SEC,
    hotMaxPrompts: vars.KONSOLE_HOT_MAX_PROMPTS,
    hotPoolMaxTurns: vars.KONSOLE_HOT_MAX_TURNS,
    hotSettleMs: vars.KONSOLE_HOT_SETTLE_MS,
    hotRefillBackoffMs: vars.KONSOLE_HOT_REFILL_BACKOFF_MS,
    hotRefillMaxFailures: vars.KONSOLE_HOT_REFILL_MAX_FAILURES,
    logLevel: vars.LOG_LEVEL,
    metricsListen: vars.KONSOLE_METRICS_PORT === undefined ? null : { host: vars.KONSOLE_METRICS_HOST, port: vars.KONSOLE_METRICS_PORT },
    streamMaxBufferedBytes: vars.KONSOLE_STREAM_MAX_BUFFERED_BYTES,
    observeDirs: observerRoots(vars.KONSOLE_OBSERVE_DIRS, blankless as Record<string, string>),
    observeRescanSec: vars.KONSOLE_OBSERVE_RESCAN_SEC,
    childEnv: pickChildEnv(blankless),
    instanceTag: instanceTagOf(dataDir),
  };
}

/** The one reader of `process.env`: parses it, or exits with a clear message. */
export function loadConfig(): KonsoleConfig {
  try {
    return parseConfig(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
