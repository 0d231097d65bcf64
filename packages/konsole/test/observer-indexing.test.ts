import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenDatabase } from "../src/journal/database.ts";
import { indexFile } from "../src/observer/file-indexer.ts";
import { ObserverQueries } from "../src/observer/observer-queries.ts";
import { ObserverStore } from "../src/observer/observer-store.ts";
import { assistantLine, summaryLine, toolUse, userLine } from "./support/transcript-lines.ts";

const SESSION = "5e55a0e0-0000-4000-8000-000000000001";
const noKonsole = { live: () => new Set<string>(), konsoleSessions: () => new Map<string, string>() };

let root: string;
let projectsDir: string;
let file: string;
let database: OpenDatabase;
let store: ObserverStore;
let queries: ObserverQueries;

function open(): void {
  database = openDatabase(path.join(root, "data"));
  store = new ObserverStore(database.db);
  queries = new ObserverQueries(database.db, noKonsole);
}

function index(target = file) {
  const result = indexFile(store, projectsDir, target);
  for (const session of result.sessions) store.refreshFigures(session);
  return result;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString();
const message = (n: number, usage = {}) => assistantLine({ sessionId: SESSION, messageId: `msg_${n}`, requestId: `req_${n}`, at: at(n), usage });
const usageOf = () => queries.session(SESSION)?.usage;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "observer-index-")));
  projectsDir = path.join(root, "claude", "projects");
  mkdirSync(path.join(projectsDir, "-work-project"), { recursive: true });
  file = path.join(projectsDir, "-work-project", `${SESSION}.jsonl`);
  open();
});

afterEach(async () => {
  database.close();
  await rm(root, { recursive: true, force: true });
});

describe("incremental indexing", () => {
  it("reads only what was appended since the last pass", async () => {
    writeFileSync(file, `${message(1)}\n${message(2)}\n`);
    const first = index();
    expect(first.bytesRead).toBe(Buffer.byteLength(`${message(1)}\n${message(2)}\n`));
    expect(usageOf()?.messages).toBe(2);

    appendFileSync(file, `${message(3, { output: 7 })}\n`);
    const second = index();
    expect(second.bytesRead).toBe(Buffer.byteLength(`${message(3, { output: 7 })}\n`));
    expect(usageOf()).toMatchObject({ messages: 3, tokens: { output: 17 } });

    expect((index()).bytesRead).toBe(0);
  });

  it("resumes after a restart where it stopped", async () => {
    writeFileSync(file, `${message(1)}\n${message(2)}\n`);
    index();
    database.close();
    appendFileSync(file, `${message(3)}\n`);
    open();
    const resumed = index();
    expect(resumed.bytesRead).toBe(Buffer.byteLength(`${message(3)}\n`));
    expect(usageOf()).toMatchObject({ messages: 3, tokens: { input: 30, output: 15 } });
  });

  it("leaves a partial last line until its newline arrives", async () => {
    const line = message(1);
    writeFileSync(file, `${message(0)}\n${line.slice(0, 40)}`);
    index();
    expect(usageOf()?.messages).toBe(1);
    expect(store.file(file)?.offset).toBe(Buffer.byteLength(`${message(0)}\n`));
    expect(queries.status([], null).malformedLines).toBe(0);

    appendFileSync(file, `${line.slice(40)}\n`);
    index();
    expect(usageOf()?.messages).toBe(2);
    expect(queries.status([], null).malformedLines).toBe(0);
  });

  it("re-reads a file that was truncated", async () => {
    writeFileSync(file, `${message(1)}\n${message(2)}\n${message(3)}\n`);
    index();
    truncateSync(file, 0);
    appendFileSync(file, `${message(9, { input: 1000 })}\n`);
    index();
    expect(usageOf()).toMatchObject({ messages: 1, tokens: { input: 1000 } });
  });

  it("re-reads a file replaced in place by one of the same size or larger (its first bytes changed)", async () => {
    writeFileSync(file, `${message(1)}\n`);
    index();
    const other = assistantLine({ sessionId: SESSION, messageId: "msg_other", requestId: "req_other", at: at(5), usage: { input: 77 } });
    writeFileSync(file, `${other}\n${message(2)}\n`);
    index();
    expect(usageOf()).toMatchObject({ messages: 2, tokens: { input: 87 } });
  });

  it("re-reads a file replaced by another one (a new inode)", async () => {
    writeFileSync(file, `${message(1)}\n${message(2)}\n`);
    index();
    const replacement = path.join(root, "replacement.jsonl");
    writeFileSync(replacement, `${message(1)}\n${message(2)}\n${message(3, { input: 500 })}\n`);
    renameSync(replacement, file);
    index();
    expect(usageOf()).toMatchObject({ messages: 3, tokens: { input: 520 } });
  });

  it("counts and skips malformed lines, never failing the file", async () => {
    writeFileSync(file, `${message(1)}\nnot json at all\n{"type":"assistant","message":{"usage":\n[1,2,3]\n${message(2)}\n`);
    const result = index();
    expect(result.malformed).toBe(3);
    expect(usageOf()?.messages).toBe(2);
    expect(queries.status([], null)).toMatchObject({ malformedLines: 3, lines: 5 });
  });
});

describe("deduplication", () => {
  it("keeps one entry per message id + request id, with the largest usage seen", async () => {
    const write = (output: number) => assistantLine({ sessionId: SESSION, messageId: "msg_1", requestId: "req_1", at: at(1), usage: { output } });
    writeFileSync(file, `${write(1)}\n${write(50)}\n${write(20)}\n`);
    index();
    expect(usageOf()).toMatchObject({ messages: 1, tokens: { output: 50 } });
  });

  it("tells apart the same message id under another request id, and uses requestRef when there is no requestId", async () => {
    const lines = [
      assistantLine({ sessionId: SESSION, messageId: "msg_1", requestId: "req_1", at: at(1) }),
      assistantLine({ sessionId: SESSION, messageId: "msg_1", requestId: "req_2", at: at(2) }),
      assistantLine({ sessionId: SESSION, messageId: "msg_2", requestRef: "ref_9", at: at(3) }),
      assistantLine({ sessionId: SESSION, messageId: "msg_2", requestRef: "ref_9", at: at(3) }),
    ];
    writeFileSync(file, `${lines.join("\n")}\n`);
    index();
    expect(usageOf()?.messages).toBe(3);
  });

  it("dedupes across files (a resumed conversation copied into another one)", async () => {
    writeFileSync(file, `${message(1)}\n${message(2)}\n`);
    const copy = path.join(projectsDir, "-work-project", "other.jsonl");
    writeFileSync(copy, `${message(1)}\n`);
    index();
    index(copy);
    expect(usageOf()?.messages).toBe(2);
  });
});

describe("what a session shows", () => {
  it("has its title, cwd, branch, models, tool calls, changed files and sub-agent usage", async () => {
    const edits = [
      toolUse("t1", "Edit", { file_path: "/work/project/a.ts" }),
      toolUse("t2", "Write", { file_path: "/work/project/b.ts" }),
      toolUse("t3", "MultiEdit", { file_path: "/work/project/a.ts" }),
      toolUse("t4", "NotebookEdit", { notebook_path: "/work/project/n.ipynb" }),
      toolUse("t5", "Bash", { command: "ls" }),
    ];
    const lines = [
      userLine(SESSION, at(0), "<command-name>/clear</command-name>"),
      userLine(SESSION, at(0), [{ type: "text", text: "Refactor the parser" }]),
      assistantLine({ sessionId: SESSION, messageId: "msg_1", requestId: "r1", at: at(1), content: edits.slice(0, 3) }),
      // The same message written once more (one line per content block): its tool calls count once.
      assistantLine({ sessionId: SESSION, messageId: "msg_1", requestId: "r1", at: at(1), content: edits.slice(0, 1) }),
      assistantLine({ sessionId: SESSION, messageId: "msg_2", requestId: "r2", at: at(2), model: "claude-opus-4-1-20250805", content: edits.slice(3) }),
      assistantLine({ sessionId: SESSION, messageId: "msg_3", requestId: "r3", at: at(3), sidechain: true, model: "claude-haiku-4-5-20251001", usage: { input: 400 } }),
    ];
    writeFileSync(file, `${lines.join("\n")}\n`);
    index();
    const detail = queries.detail(SESSION);
    expect(detail).toMatchObject({
      title: "Refactor the parser",
      cwd: "/work/project",
      gitBranch: "main",
      projectDir: "-work-project",
      models: ["claude-haiku-4-5-20251001", "claude-opus-4-1-20250805", "claude-sonnet-4-5-20250929"],
      toolCalls: { Bash: 1, Edit: 1, MultiEdit: 1, NotebookEdit: 1, Write: 1 },
      filesChangedCount: 3,
      firstActivityAt: at(0),
      lastActivityAt: at(3),
      state: "ended",
      sidechainUsage: { messages: 1, tokens: { input: 400 } },
      usage: { messages: 3, tokens: { input: 420 } },
    });
    expect(detail?.filesChanged).toEqual([
      { path: "/work/project/a.ts", count: 2 },
      { path: "/work/project/b.ts", count: 1 },
      { path: "/work/project/n.ipynb", count: 1 },
    ]);
    expect(detail?.usageSeries.map((row) => row.key)).toEqual(["2026-11-20T10:00:00Z"]);

    appendFileSync(file, `${summaryLine("Parser refactor")}\n`);
    index();
    expect(queries.session(SESSION)?.title).toBe("Parser refactor");
  });
});
