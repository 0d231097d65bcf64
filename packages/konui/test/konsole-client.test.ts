import { ApiError } from "@kon/protocol";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createKonsoleClient } from "../src/konsole/client.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { SERVICE_TOKEN } from "./support/harness.ts";

/** A konsole-shaped HTTP app; the client reaches it through an injected fetch. */
function konsoleApp() {
  const fake = new FakeKonsole();
  const seen: { method: string; path: string; auth: string | undefined }[] = [];
  const app = new Hono()
    .use("*", async (c, next) => {
      seen.push({ method: c.req.method, path: c.req.path, auth: c.req.header("authorization") });
      await next();
    })
    .post("/sessions/full/turns", (c) => c.json({ error: { code: "queue_full", message: "queue is full" } }, 429))
    .post("/sessions/huge/turns", (c) => c.json({ error: { code: "payload_too_large", message: "too big" } }, 413))
    .post("/sessions/:id/turns", async (c) => c.json(await fake.startTurn(c.req.param("id"), await c.req.json()), 202))
    .get("/turns/broken", (c) => c.json({ nonsense: true }, 200))
    .get("/turns/crash", (c) => c.json({ error: { code: "internal", message: "boom" } }, 500))
    .get("/turns/:id", async (c) => c.json(await fake.getTurn(c.req.param("id")), 200))
    .post("/sessions/:id/reset", (c) => (c.req.param("id") === "known" ? c.body(null, 204) : c.json({ error: { code: "not_found", message: "no" } }, 404)))
    .delete("/sessions/:id", (c) => c.body(null, 204))
    .post("/turns/done/interrupt", (c) => c.json({ error: { code: "conflict", message: "already finished" } }, 409))
    .post("/turns/:id/interrupt", (c) => c.json({ error: { code: "bad_request", message: "bad" } }, 400));
  app.onError((err, c) => (err instanceof ApiError ? c.json(err.toBody(), err.status) : c.json({}, 500)));
  const client = createKonsoleClient({
    baseUrl: "http://konsole.test",
    serviceToken: SERVICE_TOKEN,
    fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
  });
  return { client, seen };
}

describe("konsole client", () => {
  it("sends the service token and parses answers with the protocol schemas", async () => {
    const { client, seen } = konsoleApp();
    const accepted = await client.startTurn("s1", { userId: "u", text: "hi", requestId: "r1" });
    expect(accepted.turn).toMatchObject({ sessionId: "s1", requestId: "r1" });
    expect((await client.getTurn(accepted.turn.id)).status).toBe("succeeded");
    await client.resetSession("known");
    await client.resetSession("unknown"); // 404 is fine
    await client.deleteSession("s1");
    expect(seen.every((s) => s.auth === `Bearer ${SERVICE_TOKEN}`)).toBe(true);
  });

  it("maps konsole's failures to konui errors", async () => {
    const { client } = konsoleApp();
    await expect(client.startTurn("full", { userId: "u", text: "x" })).rejects.toMatchObject({ code: "queue_full" });
    await expect(client.getTurn("broken")).rejects.toMatchObject({ code: "unavailable" });
    await expect(client.getTurn("crash")).rejects.toMatchObject({ code: "unavailable", message: expect.stringContaining("boom") });
    await expect(client.getTurn("11111111-1111-4111-8111-111111111111")).rejects.toMatchObject({ code: "not_found" });
    await expect(client.startTurn("huge", { userId: "u", text: "x" })).rejects.toMatchObject({ code: "payload_too_large" });
    await expect(client.interruptTurn("t")).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("bad") });
    // A turn that ended while konui still saw it running is a conflict, not konui's own failure.
    await expect(client.interruptTurn("done")).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("already finished") });
  });

  it("reports an unreachable konsole as unavailable", async () => {
    const client = createKonsoleClient({ baseUrl: "http://127.0.0.1:9", serviceToken: SERVICE_TOKEN, timeoutMs: 2_000 });
    await expect(client.hotStatus()).rejects.toMatchObject({ code: "unavailable" });
  });
});
