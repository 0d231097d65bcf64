import { watch, type Dirent, type FSWatcher } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { OBSERVER_JOURNAL_SESSION_ID, OBSERVER_JOURNAL_TURN_ID, type ObserverEvent } from "@kon/protocol";
import type { TurnJournal } from "../journal/turn-journal.ts";
import type { Logger } from "../logger.ts";
import { indexFile } from "./file-indexer.ts";
import type { ObserverQueries } from "./observer-queries.ts";
import type { ObserverStore } from "./observer-store.ts";

/** More changed sessions than this in one pass are announced as one `sessions` event. */
const MAX_SESSION_EVENTS = 50;
const SETTLE_MS = 20;
const APPEARS = "#appears";
const FILES_PER_BATCH = 64;
/**
 * A session busy writing is announced in the journal at most this often (the API is always
 * current); a change held back goes out when its session's window ends, so a line written to a
 * transcript reaches the dashboard well within a second.
 */
const ANNOUNCE_EVERY_MS = 500;

export interface HostObserverDeps {
  roots: readonly string[];
  rescanSec: number;
  store: ObserverStore;
  queries: ObserverQueries;
  journal: TurnJournal;
  logger: Logger;
}

/** What the observer did since it started; the work an append costs shows here. */
export interface ObserverCounters {
  passes: number;
  filesExamined: number;
  bytesRead: number;
  lines: number;
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Indexes every `projects/**\/*.jsonl` under its roots: a full scan at start and every
 * `rescanSec`, and the files the file watcher names in between. One pass at a time; changed
 * sessions are announced in the journal after each pass.
 */
export class HostObserver {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pendingFiles = new Map<string, string>();
  private fullScanPending = false;
  private running: Promise<void> | null = null;
  private settleTimer: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastScan: string | null = null;
  private readonly announcedAt = new Map<string, number>();
  private readonly deferred = new Set<string>();
  private deferTimer: NodeJS.Timeout | undefined;
  /** When the oldest change not yet indexed was noticed (for the lag each pass reports). */
  private pendingSince: number | null = null;
  readonly counters: ObserverCounters = { passes: 0, filesExamined: 0, bytesRead: 0, lines: 0 };

  constructor(private readonly deps: HostObserverDeps) {}

  get roots(): readonly string[] {
    return this.deps.roots;
  }

  get lastScanAt(): string | null {
    return this.lastScan;
  }

  start(): void {
    if (this.deps.roots.length === 0) return;
    this.requestFullScan();
    this.rescanTimer = setInterval(() => this.requestFullScan(), this.deps.rescanSec * 1000);
    this.rescanTimer.unref();
  }

  requestFullScan(): void {
    this.notePending();
    this.fullScanPending = true;
    this.kick(0);
  }

  /** Resolves once nothing is pending or running (for tests and benchmarks). */
  async settled(): Promise<void> {
    while (!this.stopped && (this.running || this.fullScanPending || this.pendingFiles.size > 0 || this.settleTimer)) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.rescanTimer);
    clearTimeout(this.settleTimer);
    clearTimeout(this.deferTimer);
    this.settleTimer = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    await this.running;
  }

  private notePending(): void {
    this.pendingSince ??= performance.now();
  }

  private kick(delayMs: number): void {
    if (this.stopped || this.settleTimer) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      if (!this.running) this.running = this.drain().finally(() => (this.running = null));
    }, delayMs);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (this.fullScanPending || this.pendingFiles.size > 0)) {
      const touched = new Set<string>();
      const startedAt = performance.now();
      const noticedAt = this.pendingSince ?? startedAt;
      this.pendingSince = null;
      try {
        if (this.fullScanPending) {
          this.fullScanPending = false;
          this.pendingFiles.clear();
          await this.scanRoots(touched);
          this.lastScan = new Date().toISOString();
        } else {
          const files = [...this.pendingFiles];
          this.pendingFiles.clear();
          await this.indexFiles(files, touched);
        }
        this.counters.passes++;
        this.announce(touched);
        const now = performance.now();
        this.deps.journal.bus.publish({ type: "observer.pass", durationMs: now - startedAt, lagMs: now - noticedAt });
      } catch (err) {
        this.deps.logger.error({ err }, "observer pass failed");
      }
    }
  }

  private index(projectsDir: string, file: string, touched: Set<string>): void {
    const result = indexFile(this.deps.store, projectsDir, file);
    this.counters.filesExamined++;
    this.counters.bytesRead += result.bytesRead;
    this.counters.lines += result.lines;
    if (result.malformed > 0) this.deps.logger.warn({ file, malformed: result.malformed }, "observer skipped malformed lines");
    for (const session of result.sessions) touched.add(session);
  }

  private async scanRoots(touched: Set<string>): Promise<void> {
    const seenDirs = new Set<string>();
    for (const root of this.deps.roots) {
      const projectsDir = path.join(root, "projects");
      if (!(await isDirectory(projectsDir))) {
        // The CLI makes `projects/` with its first transcript: scan as soon as it appears.
        if (await isDirectory(root)) this.watchFor(root, "projects");
        continue;
      }
      let entries: Dirent[];
      try {
        entries = await readdir(projectsDir, { recursive: true, withFileTypes: true });
      } catch (err) {
        this.deps.logger.warn({ err, projectsDir }, "observer could not list a projects folder");
        continue;
      }
      seenDirs.add(projectsDir);
      this.watchDir(projectsDir, projectsDir);
      const files: [string, string][] = [];
      for (const entry of entries) {
        const full = path.join(entry.parentPath, entry.name);
        if (entry.isDirectory()) {
          seenDirs.add(full);
          this.watchDir(projectsDir, full);
        } else if (entry.name.endsWith(".jsonl")) files.push([full, projectsDir]);
      }
      await this.indexFiles(files, touched);
    }
    for (const [key, watcher] of this.watchers) {
      if (key.endsWith(APPEARS) || seenDirs.has(key)) continue;
      watcher.close();
      this.watchers.delete(key);
    }
  }

  /** Indexes files a batch at a time, one commit per batch, yielding to the event loop between batches. */
  private async indexFiles(files: readonly [string, string][], touched: Set<string>): Promise<void> {
    for (let start = 0; start < files.length && !this.stopped; start += FILES_PER_BATCH) {
      this.deps.store.batch(() => {
        for (const [file, projectsDir] of files.slice(start, start + FILES_PER_BATCH)) this.index(projectsDir, file, touched);
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private watchFor(dir: string, name: string): void {
    const key = `${path.join(dir, name)}${APPEARS}`;
    if (this.watchers.has(key)) return;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, changed) => {
        if (changed !== name) return;
        watcher.close();
        this.watchers.delete(key);
        this.requestFullScan();
      });
      watcher.on("error", () => {
        watcher.close();
        this.watchers.delete(key);
      });
      this.watchers.set(key, watcher);
    } catch (err) {
      this.deps.logger.warn({ err, dir }, "observer cannot watch a root; the periodic rescan goes on");
    }
  }

  /**
   * One inotify watch per directory (not per file, as a recursive fs.watch does on Linux): a
   * directory reports its files' appends, and new entries, which may be new directories.
   */
  private watchDir(projectsDir: string, dir: string): void {
    if (this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: false }, (event, name) => {
        if (typeof name !== "string") return;
        const full = path.join(dir, name);
        if (name.endsWith(".jsonl")) {
          this.notePending();
          this.pendingFiles.set(full, projectsDir);
          this.kick(SETTLE_MS);
        } else if (event === "rename") void this.adoptDirectory(projectsDir, full);
      });
      watcher.on("error", (err) => {
        this.deps.logger.debug({ err, dir }, "observer watch ended; the periodic rescan goes on");
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch (err) {
      this.deps.logger.warn({ err, dir }, "observer cannot watch a folder; the periodic rescan goes on");
    }
  }

  /** A directory that appeared under a watched one: watch it and index what it already holds. */
  private async adoptDirectory(projectsDir: string, dir: string): Promise<void> {
    if (this.stopped || this.watchers.has(dir) || !(await isDirectory(dir))) return;
    this.watchDir(projectsDir, dir);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(entry.parentPath, entry.name);
      if (entry.isDirectory()) this.watchDir(projectsDir, full);
      else if (entry.name.endsWith(".jsonl")) this.pendingFiles.set(full, projectsDir);
    }
    this.notePending();
    this.kick(SETTLE_MS);
  }

  private announce(touched: Set<string>): void {
    if (touched.size === 0) return;
    this.deps.store.batch(() => {
      for (const session of touched) this.deps.store.refreshFigures(session);
    });
    const now = Date.now();
    const due: string[] = [];
    for (const session of touched) {
      if (now - (this.announcedAt.get(session) ?? 0) >= ANNOUNCE_EVERY_MS) due.push(session);
      else this.deferred.add(session);
    }
    this.publish(due, now);
    if (this.deferred.size > 0 && !this.deferTimer) {
      const windowEnds = Math.min(...[...this.deferred].map((session) => (this.announcedAt.get(session) ?? now) + ANNOUNCE_EVERY_MS));
      this.deferTimer = setTimeout(() => {
        this.deferTimer = undefined;
        const later = [...this.deferred];
        this.deferred.clear();
        if (!this.stopped) this.publish(later, Date.now());
      }, Math.max(0, windowEnds - now));
      this.deferTimer.unref();
    }
  }

  private publish(sessions: string[], now: number): void {
    if (sessions.length === 0) return;
    for (const [session, at] of this.announcedAt) if (now - at >= ANNOUNCE_EVERY_MS) this.announcedAt.delete(session);
    const append = (event: ObserverEvent) =>
      this.deps.journal.append(OBSERVER_JOURNAL_TURN_ID, OBSERVER_JOURNAL_SESSION_ID, { type: "observer", event });
    if (sessions.length > MAX_SESSION_EVENTS) {
      append({ kind: "sessions", changed: sessions.length });
      return;
    }
    for (const session of this.deps.queries.sessions(sessions)) {
      this.announcedAt.set(session.id, now);
      append({ kind: "session", session });
    }
  }
}
