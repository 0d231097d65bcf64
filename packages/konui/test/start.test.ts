import { afterEach, describe, expect, it } from "vitest";
import { start, type RunningKonui } from "../src/index.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { listeningConfig, silentLogger, tempDir } from "./support/harness.ts";

let running: RunningKonui | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function boot(dir: string, env: Record<string, string> = {}) {
  const printed: string[] = [];
  const config = listeningConfig({ ADMIN_PASSWORD: "", ...env }, dir);
  running = await start(config, { konsole: new FakeKonsole(), logger: silentLogger, print: (line) => printed.push(line) });
  return { url: running.url, printed };
}

const token = async (url: string, password: string) =>
  fetch(`${url}/api/token`, { method: "POST", body: new URLSearchParams({ username: "admin", password }) });

describe("start()", () => {
  it("generates the first admin's password, prints it once, and keeps logins valid across a restart", async () => {
    const dir = tempDir();
    const first = await boot(dir);
    expect(first.printed).toHaveLength(1);
    const password = /shown once\): (\S+)$/.exec(first.printed[0] ?? "")?.[1] ?? "";
    const res = await token(first.url, password);
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    await running?.stop();

    const second = await boot(dir, { ADMIN_PASSWORD: "ignored-after-first-start" });
    expect(second.printed).toEqual([]);
    const me = await fetch(`${second.url}/api/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(me.status).toBe(200);
    expect((await token(second.url, password)).status).toBe(200);
  });

  it("uses ADMIN_PASSWORD on first start and prints nothing", async () => {
    const { url, printed } = await boot(tempDir(), { ADMIN_PASSWORD: "given-password" });
    expect(printed).toEqual([]);
    expect((await token(url, "given-password")).status).toBe(200);
  });

  it("stores a synchronous send's reply even when the client went away mid-turn", async () => {
    const konsole = new FakeKonsole();
    konsole.script = () => ({ status: "succeeded", hold: true });
    const config = listeningConfig();
    running = await start(config, { konsole, logger: silentLogger, print: () => {} });
    const recorder = running.services.recorder;
    // Outcomes reach konui through its journal consumer; this konsole hands them to the recorder itself.
    konsole.journal = (turn) => recorder.record(turn);
    const { url } = running;
    const { access_token } = (await (await token(url, "admin-password-1")).json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}`, "content-type": "application/json" };
    const session = (await (await fetch(`${url}/api/agents/claude/session`, { method: "POST", headers: auth })).json()) as { id: string };

    const abort = new AbortController();
    const sending = fetch(`${url}/api/agents/claude/sessions/${session.id}/message`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ text: "long job" }),
      signal: abort.signal,
    }).catch((err: unknown) => err);
    while (konsole.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    expect(await sending).toBeInstanceOf(Error);

    const [turnId] = [...konsole.turns.keys()];
    konsole.finish(turnId ?? "", { status: "succeeded", reply: "done while you slept" });
    const texts = async () => {
      const body = (await (await fetch(`${url}/api/agents/claude/sessions/${session.id}`, { headers: auth })).json()) as {
        messages: { text: string }[];
      };
      return body.messages.map((m) => m.text);
    };
    await expect.poll(texts, { timeout: 60_000, interval: 20 }).toEqual(["long job", "done while you slept"]);
  });
});
