import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseClaudeLine, type ClaudeEvent } from "../src/index.ts";

const fixtureDir = path.join(import.meta.dirname, "fixtures", "claude-cli-2.1.329");
// `*-host-lines.jsonl` hold what the host wrote to stdin, not what the CLI printed.
const streamFiles = readdirSync(fixtureDir).filter(
  (name) => name.endsWith(".jsonl") && !name.startsWith("transcript-") && !name.includes("host-lines"),
);

function linesOf(file: string): string[] {
  return readFileSync(path.join(fixtureDir, file), "utf8").split("\n").filter((line) => line.trim() !== "");
}

function eventsOf(file: string): ClaudeEvent[] {
  return linesOf(file).map((line) => {
    const parsed = parseClaudeLine(line);
    if (parsed.kind !== "event") throw new Error(`${file}: ${parsed.kind} ${JSON.stringify(parsed).slice(0, 300)}`);
    return parsed.event;
  });
}

describe("real CLI 2.1.329 output", () => {
  it.each(streamFiles)("every line of %s parses into a known event", (file) => {
    const events = eventsOf(file);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(["system", "assistant", "user", "stream_event", "result", "control_request", "control_response"]).toContain(event.type);
    }
  });

  it("reads the cold turn: init, the assistant text and a successful result with its figures", () => {
    const [init, assistant, result] = eventsOf("cold-text-success.jsonl");
    expect(init).toMatchObject({ type: "system", subtype: "init", session_id: "22222222-2222-4222-8222-222222222222" });
    expect(assistant).toMatchObject({ type: "assistant", message: { content: [{ type: "text", text: "OK" }] } });
    if (result?.type !== "result") throw new Error("no result");
    expect(result.is_error).toBe(false);
    expect(result.subtype).toBe("success");
    expect(result.total_cost_usd).toBeCloseTo(0.00075, 8);
    expect(result.modelUsage["claude-opus-5-5"]?.contextWindow).toBe(1_000_000);
    expect(result.model_usage_since_last_result?.["claude-opus-5-5"]?.costUSD).toBeCloseTo(0.00075, 8);
    expect(result.terminal_reason).toBe("completed");
  });

  it("keeps fields it has no schema for", () => {
    const [init] = eventsOf("cold-text-success.jsonl");
    expect(init).toHaveProperty("capabilities");
    expect(init).toHaveProperty("memory_paths.auto");
  });

  it("reads the running total across a resume", () => {
    const result = eventsOf("resume-recall-success.jsonl").find((event) => event.type === "result");
    if (result?.type !== "result") throw new Error("no result");
    expect(result.total_cost_usd).toBeCloseTo(0.0015, 8);
    expect(result.result).toContain("42");
  });

  it("reads error_max_turns with its errors", () => {
    const result = eventsOf("max-turns-exceeded.jsonl").at(-1);
    expect(result).toMatchObject({ type: "result", subtype: "error_max_turns", is_error: true, errors: ["Reached maximum number of turns (3)"] });
  });

  it("reads tool_use and tool_result blocks of a tool loop", () => {
    const events = eventsOf("max-turns-exceeded.jsonl");
    const toolUse = events.find((event) => event.type === "assistant" && event.message.content.some((block) => block.type === "tool_use"));
    const toolResult = events.find((event) => event.type === "user");
    expect(toolUse).toBeDefined();
    expect(toolResult).toMatchObject({ message: { content: [{ type: "tool_result", is_error: false }] } });
  });

  it("reads a missing transcript as an error result naming the session", () => {
    const [result] = eventsOf("resume-missing-transcript.jsonl");
    expect(result).toMatchObject({ type: "result", subtype: "error_during_execution", is_error: true });
    if (result?.type !== "result") throw new Error("no result");
    expect(result.errors?.[0]).toMatch(/^No conversation found with session ID/);
  });

  it("reads two prompts of one hot process as two init…result runs with one session id", () => {
    const events = eventsOf("hot-two-turns.jsonl");
    const inits = events.filter((event) => event.type === "system" && event.subtype === "init");
    const results = events.filter((event) => event.type === "result");
    expect(inits).toHaveLength(2);
    expect(results).toHaveLength(2);
    expect(new Set(events.map((event) => ("session_id" in event ? event.session_id : undefined))).size).toBe(1);
  });

  it("reads the interrupt's control_response and the aborted result", () => {
    const events = eventsOf("hot-interrupt.jsonl");
    expect(events.find((event) => event.type === "control_response")).toMatchObject({
      response: { subtype: "success", request_id: "req_1" },
    });
    expect(events.at(-1)).toMatchObject({ type: "result", subtype: "error_during_execution" });
  });
});
