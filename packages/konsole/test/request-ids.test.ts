// Every konsole request has an id: a sane incoming X-Request-Id, else a new one. It is answered
// in the same header, rides along on the calls the request makes to konui, and is in every log
// line of the request's work (a real cold turn with the real CLI here).

import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { SERVICE_TOKEN, startKonsoleHarness, type KonsoleHarness } from "./support/konsole-harness.ts";

const lines: Array<Record<string, unknown>> = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
let h: KonsoleHarness;

beforeAll(async () => {
  h = await startKonsoleHarness({ logger: createLogger("debug", capture) });
}, 240_000);

afterAll(async () => {
  await h?.stop();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

it("answers with the caller's id, or a new one when it has none or a bad one", async () => {
  const given = await fetch(`${h.konsole.url}/health`, { headers: { "x-request-id": "caller-id-1" } });
  expect(given.headers.get("x-request-id")).toBe("caller-id-1");
  expect((await fetch(`${h.konsole.url}/health`)).headers.get("x-request-id")).toMatch(UUID);
  const bad = await fetch(`${h.konsole.url}/health`, { headers: { "x-request-id": "no spaces or <tags> please" } });
  expect(bad.headers.get("x-request-id")).toMatch(UUID);
  expect((await fetch(`${h.konsole.url}/health`, { headers: { "x-request-id": "x".repeat(129) } })).headers.get("x-request-id")).toMatch(UUID);
  // Refusals carry it too.
  const refused = await fetch(`${h.konsole.url}/hot/status`, { headers: { "x-request-id": "refused-1" } });
  expect(refused.status).toBe(401);
  expect(refused.headers.get("x-request-id")).toBe("refused-1");
});

it("passes the id to konui and logs every line of the turn it started with it", async () => {
  const response = await fetch(`${h.konsole.url}/sessions/req-ids/turns?wait=true`, {
    method: "POST",
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, "content-type": "application/json", "x-request-id": "turn-request-7" },
    body: JSON.stringify({ userId: "u1", text: "hello" }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("x-request-id")).toBe("turn-request-7");
  // The process token was asked for (and given back) on the request's behalf.
  expect(h.konui.requestIds).toContain("turn-request-7");
  const ofTurn = lines.filter((line) => line.msg === "prompt written to claude");
  expect(ofTurn.length).toBeGreaterThan(0);
  expect(ofTurn.every((line) => line.reqId === "turn-request-7")).toBe(true);
  // Lines logged outside any request carry no id.
  expect(lines.find((line) => line.msg === "konsole listening")?.reqId).toBeUndefined();
});
