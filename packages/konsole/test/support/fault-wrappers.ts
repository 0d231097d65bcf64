// Thin wrappers around the real CLI for faults it will not produce on demand.

import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveClaudeBin } from "../../src/claude/bin.ts";

const scripts = {
  /** Runs the real CLI on the first stdin lines (konsole's initialize, the prompt) and drops its `result` line: it exits without one. */
  "swallow-result": (real: string) => `#!/usr/bin/env bash
IFS= read -r initialize
IFS= read -r prompt
printf '%s\\n%s\\n' "$initialize" "$prompt" | '${real}' "$@" | grep --line-buffered -v '"type":"result"'
`,
  /** Passes the real CLI's output through and kills everything at its first assistant line. */
  "crash-mid-stream": (real: string) => `#!/usr/bin/env bash
'${real}' "$@" | while IFS= read -r line; do
  printf '%s\\n' "$line"
  case "$line" in *'"type":"assistant"'*) kill -9 0 ;; esac
done
`,
  /**
   * Passes the real CLI's output through without its `result` lines, stdin left to the CLI: a
   * prompt's end is never seen and the process lives on, as if konsole died just before it.
   */
  "drop-result": (real: string) => `#!/usr/bin/env bash
'${real}' "$@" | grep --line-buffered -v '"type":"result"'
`,
  /**
   * Notes its arguments in the file beside it, then runs the real CLI without its
   * `--max-budget-usd`: a CLI that does not hold its budget, so only konsole's own watch can.
   */
  "ignore-budget": (real: string) => `#!/usr/bin/env bash
printf '%s\\n' "$@" > "$(dirname "$0")/args"
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --max-budget-usd ]; then shift 2; continue; fi
  args+=("$1"); shift
done
exec '${real}' "\${args[@]}"
`,
} as const;

export type FaultKind = keyof typeof scripts;

export function writeFaultWrapper(kind: FaultKind): string {
  const dir = mkdtempSync(path.join(tmpdir(), "konsole-wrapper-"));
  const file = path.join(dir, `claude-${kind}`);
  writeFileSync(file, scripts[kind](resolveClaudeBin(process.env.CLAUDE_BIN)));
  chmodSync(file, 0o755);
  return file;
}
