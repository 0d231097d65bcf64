// Per-test setup for tests that drive the real CLI: a fresh stand-in and a fresh temp HOME
// before each test; every leftover process killed and everything removed after it.

import { afterEach, beforeEach } from "vitest";
import { createClaudeHome, type ClaudeHome } from "./claude-env.ts";
import { startMessagesApi, type MessagesApi, type MessagesApiOptions } from "./messages-api.ts";
import {
  killAllClaudes,
  runClaudeTurn,
  startClaude,
  type ClaudeProcess,
  type ClaudeTurn,
  type StdinItem,
} from "./run-claude.ts";

export interface ClaudeHarness {
  readonly api: MessagesApi;
  readonly home: ClaudeHome;
  /** The child environment for this test's stand-in, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** A cold turn in the project dir: `input` on stdin, then stdin closed. */
  run(input: readonly StdinItem[], args?: readonly string[], extraEnv?: Record<string, string>): Promise<ClaudeTurn>;
  /** A hot process in the project dir, stdin open. */
  start(args?: readonly string[], extraEnv?: Record<string, string>): ClaudeProcess;
}

export function useClaudeHarness(options: MessagesApiOptions = {}): ClaudeHarness {
  let api: MessagesApi | undefined;
  let home: ClaudeHome | undefined;

  beforeEach(async () => {
    api = await startMessagesApi(options);
    home = createClaudeHome();
  });

  afterEach(async () => {
    await killAllClaudes();
    await api?.stop();
    await home?.cleanup();
    api = undefined;
    home = undefined;
  });

  const harness: ClaudeHarness = {
    get api() {
      if (!api) throw new Error("the Messages API stand-in only exists inside a test");
      return api;
    },
    get home() {
      if (!home) throw new Error("the Claude home only exists inside a test");
      return home;
    },
    env(extra = {}) {
      return harness.home.env(harness.api.url, extra);
    },
    run(input, args = [], extraEnv = {}) {
      return runClaudeTurn({ input, args, env: harness.env(extraEnv), cwd: harness.home.cwd });
    },
    start(args = [], extraEnv = {}) {
      return startClaude({ args, env: harness.env(extraEnv), cwd: harness.home.cwd });
    },
  };
  return harness;
}
