import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import path from "node:path";
import { messageCostOf } from "../claude/pricing.ts";
import { readCompleteLines, type CompleteLine } from "./line-chunks.ts";
import type { MessageRow, ObserverFileRow, ObserverStore, SessionFacts, ToolUseRow } from "./observer-store.ts";
import { readTranscriptLine, type LineFacts } from "./transcript-line.ts";

/** A file is known by its first line (a record with its own uuid and timestamp), up to this many bytes. */
const HEAD_MAX_BYTES = 1024;

export interface FileIndexResult {
  /** Sessions whose stored facts changed. */
  sessions: Set<string>;
  bytesRead: number;
  lines: number;
  malformed: number;
}

/** `<root>/projects/<projectDir>/…/<name>.jsonl` → projectDir. */
export function projectDirOf(projectsDir: string, file: string): string {
  return path.relative(projectsDir, file).split(path.sep)[0] ?? "unknown";
}

interface Head {
  length: number;
  /** It ends at a newline or at the cap: it will not change while the file only grows. */
  whole: boolean;
  digest: string;
}

const headText = (head: Head): string => `${head.length}:${head.whole ? 1 : 0}:${head.digest}`;

function parseHead(text: string): Head | undefined {
  const [length, whole, digest] = text.split(":");
  if (length === undefined || whole === undefined || digest === undefined) return undefined;
  return { length: Number(length), whole: whole === "1", digest };
}

function readHead(fd: number, length = HEAD_MAX_BYTES): Head {
  const buffer = Buffer.alloc(length);
  const bytesRead = readSync(fd, buffer, 0, length, 0);
  const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
  const end = newline === -1 ? bytesRead : newline + 1;
  return {
    length: end,
    whole: newline !== -1 || end === HEAD_MAX_BYTES,
    digest: createHash("sha1").update(buffer.subarray(0, end)).digest("hex"),
  };
}

/** The stored head still matches the file's first bytes. */
function sameHead(fd: number, stored: string): boolean {
  const head = parseHead(stored);
  if (!head) return false;
  const buffer = Buffer.alloc(head.length);
  const bytesRead = readSync(fd, buffer, 0, head.length, 0);
  return bytesRead === head.length && createHash("sha1").update(buffer).digest("hex") === head.digest;
}

function mergeFacts(into: SessionFacts, facts: LineFacts): void {
  into.cwd = facts.cwd ?? into.cwd;
  into.gitBranch = facts.gitBranch ?? into.gitBranch;
  into.summary = facts.summary ?? into.summary;
  into.firstPrompt ??= facts.prompt ?? null;
  if (facts.at) {
    if (!into.firstAt || facts.at < into.firstAt) into.firstAt = facts.at;
    if (!into.lastAt || facts.at > into.lastAt) into.lastAt = facts.at;
  }
}

const CHUNK_BYTES = 1024 * 1024;
let sharedChunk: Buffer | undefined;

/**
 * Indexes what is new in one transcript file: from the stored offset when it is the same file
 * (inode and first line) and has not shrunk, else from the start after forgetting what it
 * contributed before. Each chunk of lines is stored with the offset after it. Synchronous (a
 * chunk at a time, through one shared buffer): the caller yields between files.
 */
export function indexFile(store: ObserverStore, projectsDir: string, filePath: string): FileIndexResult {
  const result: FileIndexResult = { sessions: new Set(), bytesRead: 0, lines: 0, malformed: 0 };
  let fd: number;
  try {
    fd = openSync(filePath, "r");
  } catch {
    return result;
  }
  try {
    const stat = fstatSync(fd);
    const stored = store.file(filePath);
    let row: ObserverFileRow;
    if (stored && stored.inode === stat.ino && stat.size >= stored.offset && sameHead(fd, stored.head)) {
      if (stat.size === stored.offset) return result;
      row = stored;
    } else {
      if (stored) for (const session of store.forgetFile(filePath)) result.sessions.add(session);
      row = {
        path: filePath,
        projectDir: projectDirOf(projectsDir, filePath),
        inode: stat.ino,
        offset: 0,
        head: "",
        lines: 0,
        malformed: 0,
        updatedAt: new Date().toISOString(),
      };
    }
    if (!parseHead(row.head)?.whole) row.head = headText(readHead(fd));
    const fileSessionId = path.basename(filePath, ".jsonl");
    const from = row.offset;
    sharedChunk ??= Buffer.allocUnsafe(CHUNK_BYTES);
    const end = readCompleteLines(fd, from, sharedChunk, (lines, endOffset) => {
      const counts = storeChunk(store, row, fileSessionId, lines, endOffset, result.sessions);
      result.lines += counts.lines;
      result.malformed += counts.malformed;
    });
    result.bytesRead = end - from;
    return result;
  } finally {
    closeSync(fd);
  }
}

function storeChunk(
  store: ObserverStore,
  row: ObserverFileRow,
  fileSessionId: string,
  lines: CompleteLine[],
  endOffset: number,
  touched: Set<string>,
): { lines: number; malformed: number } {
  const messages: MessageRow[] = [];
  const toolUses: ToolUseRow[] = [];
  const sessions = new Map<string, SessionFacts>();
  let malformed = 0;
  for (const { line, start } of lines) {
    const verdict = readTranscriptLine(line);
    if (verdict.kind === "malformed") malformed++;
    if (verdict.kind !== "facts") continue;
    const facts = verdict.facts;
    const sessionId = facts.sessionId ?? fileSessionId;
    let session = sessions.get(sessionId);
    if (!session) {
      session = { id: sessionId, projectDir: row.projectDir, cwd: null, gitBranch: null, summary: null, firstPrompt: null, firstAt: null, lastAt: null };
      sessions.set(sessionId, session);
    }
    mergeFacts(session, facts);
    if (facts.usage && facts.at) {
      const cost = messageCostOf(facts.usage.model, facts.usage.tokens);
      messages.push({
        // Without both ids the line is its own message, named by where it is.
        key: facts.usage.key ?? `${row.path}@${start}`,
        sessionId,
        projectDir: row.projectDir,
        filePath: row.path,
        at: facts.at,
        model: facts.usage.model,
        tokens: facts.usage.tokens,
        costUsd: cost ?? null,
        sidechain: facts.usage.sidechain,
      });
    }
    facts.toolUses.forEach((use, index) => {
      toolUses.push({
        id: use.id ?? `${row.path}@${start}#${index}`,
        sessionId,
        filePath: row.path,
        name: use.name,
        target: use.target ?? null,
      });
    });
  }
  row.offset = endOffset;
  row.lines += lines.length;
  row.malformed += malformed;
  row.updatedAt = new Date().toISOString();
  store.writeChunk({ file: row, messages, toolUses, sessions: sessions.values() });
  for (const id of sessions.keys()) touched.add(id);
  return { lines: lines.length, malformed };
}
