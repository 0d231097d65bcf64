import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ErrorBody,
  KonsoleServerFrame,
  OBSERVER_JOURNAL_SESSION_ID,
  ObservedSessionDetail,
  ObservedSessionPage,
  ObservedUsageReport,
  ObserverStatus,
  UsageBlocksReport,
  type JournalEntry,
} from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { OBSERVER_TOKEN, startObservingKonsole, type ObservingKonsole } from "./support/observing-konsole.ts";
import { assistantLine, toolUse, userLine } from "./support/transcript-lines.ts";

const RECENT = "aaaaaaaa-0000-4000-8000-000000000001";
const IDLE = "bbbbbbbb-0000-4000-8000-000000000002";
const OLD = "cccccccc-0000-4000-8000-000000000003";

let root: string;
let observing: ObservingKonsole;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const oldDay = (hour: number) => new Date(Date.UTC(2026, 8, 1, hour)).toISOString();

function transcript(project: string, session: string): string {
  const dir = path.join(root, "projects", project);
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${session}.jsonl`);
}

function writeLines(file: string, lines: string[]): void {
  writeFileSync(file, `${lines.join("\n")}\n`);
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "observer-api-")));
  writeLines(transcript("-work-alpha", RECENT), [
    userLine(RECENT, ago(3), "Fix the build"),
    assistantLine({ sessionId: RECENT, messageId: "m1", requestId: "r1", at: ago(2), content: [toolUse("t1", "Edit", { file_path: "/w/a.ts" })] }),
    assistantLine({ sessionId: RECENT, messageId: "m2", requestId: "r2", at: ago(1), usage: { input: 1000, output: 100 } }),
  ]);
  writeLines(transcript("-work-alpha", IDLE), [
    userLine(IDLE, ago(30), "Explain the code"),
    assistantLine({ sessionId: IDLE, messageId: "m3", requestId: "r3", at: ago(30), model: "claude-opus-4-1-20250805" }),
  ]);
  writeLines(transcript("-work-beta", OLD), [
    userLine(OLD, oldDay(9), "Old work"),
    assistantLine({ sessionId: OLD, messageId: "m4", requestId: "r4", at: oldDay(9) }),
    assistantLine({ sessionId: OLD, messageId: "m5", requestId: "r5", at: oldDay(10), usage: { cacheWrite1h: 2000 } }),
  ]);
  observing = await startObservingKonsole([root]);
  await observing.settled();
});

afterAll(async () => {
  await observing?.stop();
  await rm(root, { recursive: true, force: true });
});

async function page(query = ""): Promise<ObservedSessionPage> {
  const { status, body } = await observing.get(`/observer/sessions${query}`);
  expect(status).toBe(200);
  return ObservedSessionPage.parse(body);
}

describe("GET /observer/sessions", () => {
  it("lists every session, the most recent first, with its state", async () => {
    const all = await page();
    expect(all.total).toBe(3);
    expect(all.sessions.map((s) => [s.id, s.state])).toEqual([
      [RECENT, "running"],
      [IDLE, "idle"],
      [OLD, "ended"],
    ]);
    expect(all.sessions[0]).toMatchObject({ title: "Fix the build", projectDir: "-work-alpha", toolCalls: { Edit: 1 }, filesChangedCount: 1 });
  });

  it("filters by activity, project and since, and pages", async () => {
    expect((await page("?active=true")).sessions.map((s) => s.id)).toEqual([RECENT, IDLE]);
    expect((await page("?active=false")).sessions.map((s) => s.id)).toEqual([OLD]);
    expect((await page("?project=-work-beta")).sessions.map((s) => s.id)).toEqual([OLD]);
    expect((await page(`?since=${encodeURIComponent(ago(10))}`)).sessions.map((s) => s.id)).toEqual([RECENT]);
    expect((await page("?since=2026-09-01")).total).toBe(3);
    const first = await page("?limit=2");
    expect(first).toMatchObject({ total: 3, nextOffset: 2 });
    const second = await page(`?limit=2&offset=${first.nextOffset}`);
    expect(second.sessions.map((s) => s.id)).toEqual([OLD]);
    expect(second.nextOffset).toBeNull();
  });
});

describe("GET /observer/sessions/:id", () => {
  it("has the files changed and a usage series", async () => {
    const { status, body } = await observing.get(`/observer/sessions/${OLD}`);
    expect(status).toBe(200);
    const detail = ObservedSessionDetail.parse(body);
    expect(detail.usageSeries.map((row) => [row.key, row.messages])).toEqual([
      ["2026-09-01T09:00:00Z", 1],
      ["2026-09-01T10:00:00Z", 1],
    ]);
    expect(detail.usage.tokens.cacheWrite1h).toBe(2000);
    const recent = ObservedSessionDetail.parse((await observing.get(`/observer/sessions/${RECENT}`)).body);
    expect(recent.filesChanged).toEqual([{ path: "/w/a.ts", count: 1 }]);
  });

  it("is a 404 for a session it has not seen", async () => {
    const { status, body } = await observing.get(`/observer/sessions/nope`);
    expect(status).toBe(404);
    expect(ErrorBody.parse(body).error.code).toBe("not_found");
  });
});

describe("GET /observer/usage and /observer/blocks", () => {
  it("groups by day, hour, project, model and session within since/until", async () => {
    const usage = async (query: string) => ObservedUsageReport.parse((await observing.get(`/observer/usage?${query}`)).body);
    const byProject = await usage("groupBy=project");
    expect(byProject.rows.map((row) => [row.key, row.messages])).toEqual([
      ["-work-alpha", 3],
      ["-work-beta", 2],
    ]);
    expect(byProject.totals.messages).toBe(5);
    expect((await usage("groupBy=model")).rows.map((row) => row.key)).toEqual(["claude-opus-4-1-20250805", "claude-sonnet-4-5-20250929"]);
    expect((await usage("groupBy=day&until=2026-09-02")).rows.map((row) => [row.key, row.messages])).toEqual([["2026-09-01", 2]]);
    expect((await usage("groupBy=hour&since=2026-09-01T10:00:00Z&until=2026-09-02")).rows.map((row) => row.key)).toEqual([
      "2026-09-01T10:00:00Z",
    ]);
    expect((await usage(`groupBy=session&project=-work-alpha`)).rows.map((row) => row.key).sort()).toEqual([RECENT, IDLE].sort());
    const byDay = await usage("groupBy=day");
    expect(byDay.totals.costUsd).toBeGreaterThan(0);
  });

  it("cuts 5-hour blocks with a burn rate and a projection for the active one", async () => {
    const { blocks } = UsageBlocksReport.parse((await observing.get(`/observer/blocks`)).body);
    const active = blocks.filter((block) => block.isActive);
    expect(active).toHaveLength(1);
    expect(active[0]?.usage.messages).toBe(3);
    expect(active[0]?.burnRate?.tokensPerMinute).toBeGreaterThan(0);
    expect(active[0]?.projection?.totalTokens).toBeGreaterThanOrEqual(1115 + 15 * 2);
    expect(blocks[0]).toMatchObject({ start: "2026-09-01T09:00:00.000Z", isActive: false, usage: { messages: 2 } });
    expect(blocks.some((block) => block.isGap)).toBe(true);
  });
});

describe("sessions=: one person's view", () => {
  it("narrows the list, usage and blocks to the named conversations", async () => {
    const narrowed = await page(`?sessions=${IDLE},${OLD}`);
    expect(narrowed.sessions.map((s) => s.id)).toEqual([IDLE, OLD]);
    const usage = ObservedUsageReport.parse((await observing.get(`/observer/usage?groupBy=session&sessions=${OLD}`)).body);
    expect(usage.rows.map((row) => row.key)).toEqual([OLD]);
    const { blocks } = UsageBlocksReport.parse((await observing.get(`/observer/blocks?sessions=${IDLE}`)).body);
    expect(blocks.filter((b) => !b.isGap).reduce((n, b) => n + b.usage.messages, 0)).toBe(1);
    expect((await observing.get(`/observer/sessions?sessions=not%20an%20id`)).status).toBe(400);
  });
});

describe("POST /sessions/:id/adopt", () => {
  const adopt = (sessionId: string, body: unknown) =>
    fetch(`${observing.konsole.url}/sessions/${sessionId}/adopt`, {
      method: "POST",
      headers: { authorization: `Bearer ${OBSERVER_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("copies a transcript seen elsewhere into konsole's config dir and binds the session to it, once", async () => {
    const cwd = path.join(root, "adopted-cwd");
    const original = readFileSync(transcript("-work-alpha", IDLE), "utf8");
    const res = await adopt("adopted-1", { claudeSessionId: IDLE, cwd });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: "adopted-1", claudeSessionId: IDLE, cwd, hot: false });
    const copy = path.join(observing.dataDir, "home", ".claude", "projects", cwd.replace(/[^a-zA-Z0-9]/g, "-"), `${IDLE}.jsonl`);
    expect(readFileSync(copy, "utf8")).toBe(original);
    expect(readFileSync(transcript("-work-alpha", IDLE), "utf8")).toBe(original);
    const again = await adopt("adopted-1", { claudeSessionId: OLD, cwd });
    expect(again.status).toBe(409);
    expect(ErrorBody.safeParse(await again.json()).success).toBe(true);
  });

  it("is a 404 for a conversation it has no transcript of, and a 400 for a bad body", async () => {
    expect((await adopt("adopted-2", { claudeSessionId: "dddddddd-0000-4000-8000-000000000004", cwd: root })).status).toBe(404);
    expect((await adopt("adopted-2", { claudeSessionId: IDLE, cwd: "relative/dir" })).status).toBe(400);
    expect((await adopt("adopted-2", { claudeSessionId: "../../etc", cwd: root })).status).toBe(400);
  });
});

describe("bad requests", () => {
  it.each([
    "/observer/sessions?limit=0",
    "/observer/sessions?limit=abc",
    "/observer/sessions?active=yes",
    "/observer/sessions?since=yesterday",
    "/observer/sessions?sort=name",
    "/observer/usage?groupBy=week",
    "/observer/usage?since=2026-10-02&until=2026-10-01",
    "/observer/usage?until=2026-13-45",
    "/observer/blocks?since=",
  ])("answers 400 to %s", async (route) => {
    const { status, body } = await observing.get(route);
    expect(status).toBe(400);
    expect(ErrorBody.parse(body).error.code).toBe("bad_request");
  });

  it("needs the service token", async () => {
    const response = await fetch(`${observing.konsole.url}/observer/sessions`);
    expect(response.status).toBe(401);
  });

  it("reports its roots and the malformed lines it skipped", async () => {
    const status = ObserverStatus.parse((await observing.get(`/observer/status`)).body);
    expect(status).toMatchObject({ roots: [root], files: 3, sessions: 3, malformedLines: 0 });
  });
});

describe("watching", () => {
  it("notices an appended line and a new file, and announces them in the journal", async () => {
    const entries: JournalEntry[] = [];
    const ws = new WebSocket(`${observing.konsole.url.replace("http", "ws")}/ws`, { headers: { authorization: `Bearer ${OBSERVER_TOKEN}` } });
    ws.on("message", (data) => {
      const frame = KonsoleServerFrame.parse(JSON.parse(String(data)));
      if (frame.type === "entry") entries.push(frame.entry);
    });
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send(JSON.stringify({ type: "subscribe", sessionId: OBSERVER_JOURNAL_SESSION_ID, after: 0 }));
    // The first index announced every session already.
    await expect.poll(() => entries.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const before = entries.length;

    appendFileSync(transcript("-work-alpha", IDLE), `${assistantLine({ sessionId: IDLE, messageId: "m9", requestId: "r9", at: ago(0), usage: { output: 77 } })}\n`);
    await expect
      .poll(async () => ObservedSessionDetail.parse((await observing.get(`/observer/sessions/${IDLE}`)).body).usage.messages, { timeout: 20_000 })
      .toBe(2);
    await expect
      .poll(() => entries.slice(before).some((e) => e.payload.type === "observer" && e.payload.event.kind === "session" && e.payload.event.session.id === IDLE), {
        timeout: 20_000,
      })
      .toBe(true);

    const fresh = "dddddddd-0000-4000-8000-000000000004";
    writeLines(transcript("-work-gamma", fresh), [assistantLine({ sessionId: fresh, messageId: "m10", requestId: "r10", at: ago(0) })]);
    await expect.poll(async () => (await observing.get(`/observer/sessions/${fresh}`)).status, { timeout: 20_000 }).toBe(200);
    ws.close();
  });
});
