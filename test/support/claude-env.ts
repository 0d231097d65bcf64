// An isolated HOME / CLAUDE_CONFIG_DIR / project directory for one test's `claude` processes.

import { mkdirSync, mkdtempSync, realpathSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface ClaudeHome {
  /** The temp dir holding everything below; removed by `cleanup`. */
  root: string;
  home: string;
  configDir: string;
  /** The project directory to run `claude` in. */
  cwd: string;
  /** A minimal environment for a `claude` child talking to the stand-in at `apiUrl`. */
  env(apiUrl: string, extra?: Record<string, string>): Record<string, string>;
  /** Where the CLI keeps the transcript of `sessionId` when run in `cwd`. */
  transcriptPath(sessionId: string, cwd?: string): string;
  cleanup(): Promise<void>;
}

/**
 * The CLI's folder name for a project: the absolute cwd with every character that is not a
 * letter or digit replaced by `-` (`/home/agent/project` → `-home-agent-project`).
 */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, "-");
}

export function transcriptPathIn(configDir: string, sessionId: string, cwd: string): string {
  return path.join(configDir, "projects", projectDirName(cwd), `${sessionId}.jsonl`);
}

/**
 * Turns off what a test does not want the CLI to do: telemetry and error reports, the
 * auto-updater, and other traffic besides the Messages API (e.g. `HEAD /api/hello`).
 */
export const quietClaudeEnv: Readonly<Record<string, string>> = {
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
};

export function createClaudeHome(): ClaudeHome {
  // realpath: the CLI names the project folder after the resolved cwd.
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), "kon-claude-")));
  const home = path.join(root, "home");
  const configDir = path.join(home, ".claude");
  const cwd = path.join(root, "project");
  const tmp = path.join(root, "tmp");
  for (const dir of [configDir, cwd, tmp]) mkdirSync(dir, { recursive: true });

  return {
    root,
    home,
    configDir,
    cwd,
    env(apiUrl, extra = {}) {
      return {
        PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
        HOME: home,
        // The CLI puts its sockets and task scratch files under TMPDIR.
        TMPDIR: tmp,
        CLAUDE_CONFIG_DIR: configDir,
        ANTHROPIC_BASE_URL: apiUrl,
        ANTHROPIC_API_KEY: "sk-test",
        ...quietClaudeEnv,
        ...extra,
      };
    },
    transcriptPath(sessionId, inCwd = cwd) {
      return transcriptPathIn(configDir, sessionId, inCwd);
    },
    async cleanup() {
      await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}
