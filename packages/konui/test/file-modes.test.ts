import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { start, type RunningKonui } from "../src/index.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { adminAliceBob, createHarness, listeningConfig, silentLogger, tempDir } from "./support/harness.ts";

const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;

let running: RunningKonui | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("file modes", () => {
  it("keeps the data dir 0700 and the database, its WAL and shared memory and the JWT secret 0600, tightening older ones", async () => {
    const dir = path.join(tempDir(), "data");
    fs.mkdirSync(path.join(dir, "uploads", "s1"), { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, "uploads"), 0o755);
    fs.writeFileSync(path.join(dir, "konui.sqlite"), "", { mode: 0o644 });
    running = await start(listeningConfig({}, dir), { konsole: new FakeKonsole(), logger: silentLogger, print: () => {} });
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(dir, "uploads"))).toBe(0o700);
    for (const name of ["konui.sqlite", "konui.sqlite-wal", "konui.sqlite-shm", "jwt-secret"]) {
      expect([name, modeOf(path.join(dir, name))]).toEqual([name, 0o600]);
    }
  });

  it("stores uploaded files 0600 in 0700 directories", async () => {
    const h = await createHarness();
    try {
      const { alice } = await adminAliceBob(h);
      const sessionId = await h.newSession(alice);
      const body = new FormData();
      body.append("text", "look");
      body.append("files", new File(["a,b\n1,2\n"], "data.csv", { type: "text/csv" }));
      const res = await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message?async=true`, { token: alice, body });
      expect(res.status).toBe(202);
      const uploads = path.join(h.dir, "uploads");
      const sessionDir = path.join(uploads, sessionId);
      expect(modeOf(uploads)).toBe(0o700);
      expect(modeOf(sessionDir)).toBe(0o700);
      const stored = fs.readdirSync(sessionDir);
      expect(stored).toHaveLength(1);
      expect(modeOf(path.join(sessionDir, stored[0] ?? ""))).toBe(0o600);
    } finally {
      h.close();
    }
  });
});
