import { describe, expect, it } from "vitest";
import {
  UserMessageLine,
  buildInterruptRequest,
  buildUserMessage,
  parseClaudeLine,
  toStdinLine,
} from "../src/index.ts";

describe("parseClaudeLine", () => {
  it("keeps a line that is not JSON as raw", () => {
    expect(parseClaudeLine("Error: something broke")).toEqual({ kind: "raw", line: "Error: something broke" });
    expect(parseClaudeLine("")).toEqual({ kind: "raw", line: "" });
    expect(parseClaudeLine("42")).toEqual({ kind: "raw", line: "42" });
    expect(parseClaudeLine("[1,2]")).toEqual({ kind: "raw", line: "[1,2]" });
  });

  it("keeps JSON of an unknown type, fields and all", () => {
    const parsed = parseClaudeLine('{"type":"rate_limit_event","limit":3}');
    expect(parsed).toMatchObject({ kind: "unknown", value: { type: "rate_limit_event", limit: 3 } });
  });

  it("says why a known type did not fit", () => {
    const parsed = parseClaudeLine('{"type":"assistant","message":{"role":"assistant","content":"nope"},"session_id":"s"}');
    expect(parsed.kind).toBe("unknown");
    if (parsed.kind === "unknown") expect(parsed.reason).toMatch(/message\.content/);
  });

  it("keeps system events of any subtype and unknown content blocks", () => {
    expect(parseClaudeLine('{"type":"system","subtype":"api_retry","attempt":2,"session_id":"s"}')).toMatchObject({
      kind: "event",
      event: { type: "system", subtype: "api_retry", attempt: 2 },
    });
    expect(parseClaudeLine('{"type":"system","subtype":"compact_boundary","session_id":"s","compact_metadata":{"trigger":"auto","pre_tokens":9000}}')).toMatchObject({
      kind: "event",
      event: { subtype: "compact_boundary", compact_metadata: { pre_tokens: 9000 } },
    });
    const block = parseClaudeLine('{"type":"assistant","session_id":"s","message":{"role":"assistant","content":[{"type":"server_tool_use","id":"x"}]}}');
    expect(block).toMatchObject({ kind: "event", event: { message: { content: [{ type: "server_tool_use", id: "x" }] } } });
  });

  it("reads a result of a subtype it does not know", () => {
    expect(parseClaudeLine('{"type":"result","subtype":"error_new_kind","is_error":true,"session_id":"s"}')).toMatchObject({
      kind: "event",
      event: { type: "result", subtype: "error_new_kind", total_cost_usd: 0, modelUsage: {} },
    });
  });

  it("never throws on garbage", () => {
    const samples = [
      "{", "}", "null", "true", '"str"', "{}", '{"type":null}', '{"type":{}}', '{"type":"result"}',
      '{"type":"system"}', '{"type":"system","subtype":7}', '{"type":"user","message":null}',
      '{"__proto__":{"polluted":1},"type":"x"}', "\u0000\u0001", "{\"type\":\"assistant\",\"message\":{\"content\":[null]}}",
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = '{}[]":,.0123456789abcdefghijklmnopqrstuvwxyz_-\\ \n\t\u00e9\ud83d';
    for (let i = 0; i < 2000; i += 1) {
      const length = Math.floor(random() * 80);
      let text = "";
      for (let j = 0; j < length; j += 1) text += alphabet[Math.floor(random() * alphabet.length)];
      samples.push(text);
    }
    const good = '{"type":"result","subtype":"success","is_error":false,"session_id":"s","modelUsage":{"m":{"costUSD":1}}}';
    for (let cut = 0; cut < good.length; cut += 1) samples.push(good.slice(0, cut), good.slice(cut));
    for (const line of samples) expect(() => parseClaudeLine(line)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads a line larger than a megabyte", () => {
    const text = "x".repeat(2 * 1024 * 1024);
    const parsed = parseClaudeLine(JSON.stringify({ type: "assistant", session_id: "s", message: { role: "assistant", content: [{ type: "text", text }] } }));
    expect(parsed.kind).toBe("event");
  });
});

describe("stdin builders", () => {
  it("builds a user line with images first and the text last", () => {
    const line = buildUserMessage("What is this?", [{ mediaType: "image/png", data: "iVBORw0KGgo=" }]);
    expect(UserMessageLine.parse(line)).toEqual(line);
    expect(line.message.content.map((block) => block.type)).toEqual(["image", "text"]);
    expect(toStdinLine(line).endsWith("}\n")).toBe(true);
    expect(toStdinLine(line).split("\n")).toHaveLength(2);
  });

  it("keeps a multi-line message on one stdin line", () => {
    expect(toStdinLine(buildUserMessage("one\ntwo")).split("\n")).toHaveLength(2);
  });

  it("builds the interrupt control request", () => {
    expect(buildInterruptRequest("req_1")).toEqual({
      type: "control_request",
      request_id: "req_1",
      request: { subtype: "interrupt" },
    });
  });
});
