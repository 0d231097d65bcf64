import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The `claude` executable: `CLAUDE_BIN` when given, else the native binary that the pinned
 * `@anthropic-ai/claude-code` package's postinstall puts in its `bin/`.
 */
export function resolveClaudeBin(override?: string): string {
  if (override) return override;
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve("@anthropic-ai/claude-code/package.json"));
  const native = path.join(packageDir, "bin", "claude.exe");
  if (existsSync(native)) return native;
  throw new Error(
    `The claude binary is missing at ${native}: its install script did not run ` +
      "(pnpm must allow it in onlyBuiltDependencies); set CLAUDE_BIN to a claude executable.",
  );
}
