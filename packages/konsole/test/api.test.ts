import { randomUUID } from "node:crypto";
import { ErrorBody, Health } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { useKonsoleHarness } from "./support/use-konsole-harness.ts";

const h = useKonsoleHarness();

async function expectError(response: Response, status: number, code?: string): Promise<void> {
  expect(response.status).toBe(status);
  const body = ErrorBody.parse(await response.json());
  if (code) expect(body.error.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
}

function rawPost(route: string, body: string, contentType = "application/json"): Promise<Response> {
  return fetch(`${h.konsole.url}${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.config.serviceToken}`, "content-type": contentType },
    body,
  });
}

describe("the service token", () => {
  it("is not needed for /health", async () => {
    const response = await h.request("GET", "/health", undefined, null);
    expect(response.status).toBe(200);
    expect(Health.parse(await response.json())).toMatchObject({ status: "ok", service: "konsole" });
  });

  it.each([
    ["GET", "/sessions/s1"],
    ["POST", "/sessions/s1/turns"],
    ["GET", `/turns/${randomUUID()}`],
    ["POST", `/turns/${randomUUID()}/interrupt`],
    ["DELETE", "/sessions/s1"],
    ["GET", "/nowhere"],
  ])("is required for %s %s", async (method, route) => {
    await expectError(await h.request(method, route, undefined, null), 401, "unauthorized");
    await expectError(await h.request(method, route, undefined, "wrong-token-wrong-token"), 401, "unauthorized");
  });

  it("is required for the WebSocket", async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${h.konsole.url.replace("http", "ws")}/ws`);
      ws.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => undefined);
    });
    expect(status).toBe(401);
  });
});

describe("bad input", () => {
  const turnBody = { userId: "u1", text: "hi" };

  it.each([
    ["no userId", { text: "hi" }],
    ["text not a string", { userId: "u1", text: 5 }],
    ["maxTurns 0", { ...turnBody, maxTurns: 0 }],
    ["maxTurns 501", { ...turnBody, maxTurns: 501 }],
    ["maxTurns not an integer", { ...turnBody, maxTurns: 2.5 }],
    ["executionTimeoutSec 0", { ...turnBody, executionTimeoutSec: 0 }],
    ["unknown permission mode", { ...turnBody, permissionMode: "yolo" }],
    ["image of an unknown type", { ...turnBody, images: [{ mediaType: "image/bmp", data: "AAAA" }] }],
    ["empty image", { ...turnBody, images: [{ mediaType: "image/png", data: "" }] }],
    ["a body that is an array", [turnBody]],
  ])("a turn request with %s is a 400", async (_name, body) => {
    await expectError(await h.request("POST", "/sessions/s1/turns", body), 400, "bad_request");
  });

  it("a body that is not JSON is a 400, one that is not declared JSON a 415", async () => {
    await expectError(await rawPost("/sessions/s1/turns", "{not json"), 400, "bad_request");
    await expectError(await rawPost("/sessions/s1/turns", JSON.stringify(turnBody), "text/plain"), 415, "unsupported_media_type");
  });

  it.each([
    ["relative", "relative/dir"],
    ["not creatable (under a file)", "/dev/null/workspace"],
  ])("a %s cwd is a 400 that names it, and creates no session", async (_name, cwd) => {
    const response = await h.request("POST", "/sessions/bad-cwd/turns", { ...turnBody, cwd });
    await expectError(response.clone(), 400, "bad_request");
    expect(ErrorBody.parse(await response.json()).error.message).toContain(cwd);
    await expectError(await h.request("GET", "/sessions/bad-cwd"), 404, "not_found");
  });

  it("a bad session id is a 400", async () => {
    await expectError(await h.request("POST", "/sessions/bad%20id!/turns", turnBody), 400, "bad_request");
    await expectError(await h.request("GET", `/sessions/${"x".repeat(200)}`), 400, "bad_request");
  });

  it("a bad turn id is a 400, an unknown one a 404", async () => {
    await expectError(await h.request("GET", "/turns/not-a-uuid"), 400, "bad_request");
    await expectError(await h.request("GET", `/turns/${randomUUID()}`), 404, "not_found");
    await expectError(await h.request("POST", `/turns/${randomUUID()}/interrupt`), 404, "not_found");
    await expectError(await h.request("GET", `/turns/${randomUUID()}/events`), 404, "not_found");
  });

  it("bad event paging is a 400", async () => {
    const turn = await h.runTurn("paging", { text: "hello" });
    await expectError(await h.request("GET", `/turns/${turn.id}/events?after=-1`), 400, "bad_request");
    await expectError(await h.request("GET", `/turns/${turn.id}/events?limit=0`), 400, "bad_request");
    await expectError(await h.request("GET", `/turns/${turn.id}/events?limit=abc`), 400, "bad_request");
    await expectError(await h.request("POST", "/sessions/paging/turns?wait=maybe", turnBody), 400, "bad_request");
  }, 240_000);

  it("unknown sessions and routes are 404s", async () => {
    await expectError(await h.request("GET", "/sessions/never-seen"), 404, "not_found");
    await expectError(await h.request("POST", "/sessions/never-seen/reset"), 404, "not_found");
    await expectError(await h.request("DELETE", "/sessions/never-seen"), 404, "not_found");
    await expectError(await h.request("GET", "/nowhere"), 404, "not_found");
    await expectError(await h.request("PUT", "/sessions/s1"), 404, "not_found");
  });
});

describe("ending a session", () => {
  it("ends its running turn and forgets it", async () => {
    const turn = await h.runTurn("ending", { text: "Remember 1" });
    expect(turn.status).toBe("succeeded");
    const response = await h.request("DELETE", "/sessions/ending");
    expect(response.status).toBe(204);
    await expectError(await h.request("GET", "/sessions/ending"), 404, "not_found");
    expect((await h.request("GET", `/turns/${turn.id}`)).status).toBe(200);
  }, 240_000);
});
