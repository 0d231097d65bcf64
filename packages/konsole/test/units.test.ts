import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildClaudeArgs } from "../src/claude/args.ts";
import { buildChildEnv } from "../src/claude/child-env.ts";
import { readLines } from "../src/claude/line-reader.ts";
import { ConfigError, parseConfig } from "../src/config.ts";
import { tokensMatch } from "../src/http/service-token.ts";

describe("config", () => {
  const base = { KONSOLE_SERVICE_TOKEN: "0123456789abcdef", CLAUDE_BIN: "/bin/true" };
  const quiet = {
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
  };

  it("has defaults and splits allowed tools on spaces or commas", () => {
    const config = parseConfig({ ...base, PATH: "/bin", NODE_OPTIONS: "--inspect", ANTHROPIC_BASE_URL: "http://x", SECRET: "s" });
    expect(config).toMatchObject({ port: 7801, host: "127.0.0.1", konuiUrl: "http://127.0.0.1:7800" });
    expect(config.defaultAllowedTools).toEqual(["Bash", "Read", "Edit", "Write", "Glob", "Grep"]);
    expect(parseConfig({ ...base, KONSOLE_ALLOWED_TOOLS: "Bash, Read,Edit" }).defaultAllowedTools).toEqual(["Bash", "Read", "Edit"]);
    expect(config.childEnv).toEqual({ PATH: "/bin", ANTHROPIC_BASE_URL: "http://x", ...quiet });
  });

  it("keeps Claude processes quiet unless the operator says otherwise", () => {
    const config = parseConfig({ ...base, DISABLE_TELEMETRY: "0", DISABLE_AUTOUPDATER: "" });
    expect(config.childEnv).toEqual({ ...quiet, DISABLE_TELEMETRY: "0" });
  });

  it("names every bad variable", () => {
    expect(() => parseConfig({ KONSOLE_SERVICE_TOKEN: "short", KONSOLE_PORT: "eighty" })).toThrow(ConfigError);
    expect(() => parseConfig({ KONSOLE_SERVICE_TOKEN: "short" })).toThrow(/KONSOLE_SERVICE_TOKEN/);
    expect(() => parseConfig({ ...base, KONSOLE_PERMISSION_MODE: "yolo" })).toThrow(/KONSOLE_PERMISSION_MODE/);
    expect(() => parseConfig({ ...base, KONSOLE_QUEUE_LIMIT: "4", KONSOLE_USER_QUEUE_LIMIT: "5" })).toThrow(
      /KONSOLE_USER_QUEUE_LIMIT: must not exceed KONSOLE_QUEUE_LIMIT \(4\)/,
    );
  });

  it("lets one user fill half the queue unless told otherwise", () => {
    expect(parseConfig(base)).toMatchObject({ queueLimit: 100, userQueueLimit: 50 });
    expect(parseConfig({ ...base, KONSOLE_QUEUE_LIMIT: "5" }).userQueueLimit).toBe(3);
    expect(parseConfig({ ...base, KONSOLE_QUEUE_LIMIT: "5", KONSOLE_USER_QUEUE_LIMIT: "5" }).userQueueLimit).toBe(5);
  });
});

describe("the child's command line and environment", () => {
  it("resumes or starts a conversation with stream-json on both sides, asking its tool permissions over stdio", () => {
    const args = buildClaudeArgs({
      conversation: { kind: "resume", claudeSessionId: "abc" },
      maxTurns: 7,
      permissionMode: "acceptEdits",
      allowedTools: ["Bash", "Read"],
    });
    expect(args).toEqual([
      "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
      "--permission-prompt-tool", "stdio", "--resume=abc", "--max-turns", "7", "--permission-mode", "acceptEdits", "--allowedTools", "Bash,Read",
    ]);
  });

  it("adds the process token and instance tag and never passes CLAUDECODE or NODE_OPTIONS", () => {
    const env = buildChildEnv({ PATH: "/bin", CLAUDECODE: "1", NODE_OPTIONS: "--x" }, { konuiUrl: "http://k", konuiToken: "t", instanceTag: "i1" });
    expect(env).toEqual({ PATH: "/bin", KONUI_URL: "http://k", KONUI_TOKEN: "t", KONSOLE_INSTANCE: "i1" });
  });
});

describe("line reading", () => {
  it("splits lines across chunks, keeps lines over 1 MB whole and flushes the last partial line", async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    readLines(stream, (line) => lines.push(line));
    const big = "x".repeat(3 * 1024 * 1024);
    stream.write('{"a":1}\n{"b":');
    stream.write(`"${big.slice(0, 1000)}`);
    stream.write(`${big.slice(1000)}"}\n\n€`);
    stream.end("tail");
    await new Promise((resolve) => stream.on("end", resolve));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('{"a":1}');
    expect(lines[1]?.length).toBe(big.length + 8);
    expect(lines[2]).toBe("€tail");
  });
});

describe("service token comparison", () => {
  it("matches only the exact token", () => {
    expect(tokensMatch("0123456789abcdef", "0123456789abcdef")).toBe(true);
    expect(tokensMatch("0123456789abcdeF", "0123456789abcdef")).toBe(false);
    expect(tokensMatch("", "0123456789abcdef")).toBe(false);
  });
});
