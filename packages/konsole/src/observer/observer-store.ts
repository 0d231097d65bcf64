import type { ObservedUsage } from "@kon/protocol";
import type { Statement } from "better-sqlite3";
import type { KonsoleDb } from "../journal/database.ts";
import type { observerFiles } from "../journal/schema.ts";
import type { MessageTokens } from "../claude/pricing.ts";

export type ObserverFileRow = typeof observerFiles.$inferSelect;

export interface MessageRow {
  key: string;
  sessionId: string;
  projectDir: string;
  filePath: string;
  at: string;
  model: string;
  tokens: MessageTokens;
  costUsd: number | null;
  sidechain: boolean;
}

export interface ToolUseRow {
  id: string;
  sessionId: string;
  filePath: string;
  name: string;
  target: string | null;
}

/** What a chunk of lines says about one session besides usage. */
export interface SessionFacts {
  id: string;
  projectDir: string;
  cwd: string | null;
  gitBranch: string | null;
  summary: string | null;
  firstPrompt: string | null;
  firstAt: string | null;
  lastAt: string | null;
}

/** A session's derived figures, stored as JSON beside it. */
export interface SessionFigures {
  models: string[];
  usage: ObservedUsage;
  sidechainUsage: ObservedUsage;
  toolCalls: Record<string, number>;
  filesChangedCount: number;
}

export interface ChunkWrite {
  file: ObserverFileRow;
  messages: MessageRow[];
  toolUses: ToolUseRow[];
  sessions: Iterable<SessionFacts>;
}

export const emptyUsage = (): ObservedUsage => ({
  tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
  costUsd: 0,
  messages: 0,
  unpricedMessages: 0,
});

interface UsageSums {
  messages: number;
  input: number | null;
  output: number | null;
  cacheRead: number | null;
  cacheWrite5m: number | null;
  cacheWrite1h: number | null;
  cost: number | null;
  unpriced: number | null;
}

/** The SELECT list that sums observer_messages into `UsageSums`. */
export const USAGE_SUMS_SQL = `count(*) AS messages, sum(input) AS input, sum(output) AS output, sum(cache_read) AS cacheRead,
  sum(cache_write_5m) AS cacheWrite5m, sum(cache_write_1h) AS cacheWrite1h, sum(cost_usd) AS cost,
  sum(cost_usd IS NULL) AS unpriced`;

export function usageFromSums(sums: UsageSums): ObservedUsage {
  return {
    tokens: {
      input: sums.input ?? 0,
      output: sums.output ?? 0,
      cacheRead: sums.cacheRead ?? 0,
      cacheWrite5m: sums.cacheWrite5m ?? 0,
      cacheWrite1h: sums.cacheWrite1h ?? 0,
    },
    costUsd: Math.round((sums.cost ?? 0) * 1e9) / 1e9,
    messages: sums.messages,
    unpricedMessages: sums.unpriced ?? 0,
  };
}

export function addUsage(into: ObservedUsage, add: ObservedUsage): void {
  for (const kind of Object.keys(into.tokens) as (keyof ObservedUsage["tokens"])[]) into.tokens[kind] += add.tokens[kind];
  into.costUsd = Math.round((into.costUsd + add.costUsd) * 1e9) / 1e9;
  into.messages += add.messages;
  into.unpricedMessages += add.unpricedMessages;
}

/**
 * The one writer of the observer's tables. Each chunk of a file is one transaction that also
 * moves the file's offset, so a restart resumes exactly after the last line it stored.
 */
export class ObserverStore {
  private readonly upsertMessage: Statement;
  private readonly insertToolUse: Statement;
  private readonly upsertSession: Statement;
  private readonly upsertFile: Statement;
  private readonly selectFile: Statement;
  private readonly writeChunkTx: (chunk: ChunkWrite) => void;
  private readonly figureStatements: { groups: Statement; tools: Statement; changed: Statement; save: Statement };

  constructor(private readonly db: KonsoleDb) {
    const sqlite = db.$client;
    // The CLI writes a message once per content block, sometimes with growing usage: keep the largest.
    this.upsertMessage = sqlite.prepare(`
      INSERT INTO observer_messages (key, session_id, project_dir, file_path, at, model, input, output, cache_read,
        cache_write_5m, cache_write_1h, cost_usd, sidechain)
      VALUES (@key, @sessionId, @projectDir, @filePath, @at, @model, @input, @output, @cacheRead, @cacheWrite5m,
        @cacheWrite1h, @costUsd, @sidechain)
      ON CONFLICT(key) DO UPDATE SET input = excluded.input, output = excluded.output, cache_read = excluded.cache_read,
        cache_write_5m = excluded.cache_write_5m, cache_write_1h = excluded.cache_write_1h, cost_usd = excluded.cost_usd
      WHERE excluded.input + excluded.output + excluded.cache_read + excluded.cache_write_5m + excluded.cache_write_1h
        > input + output + cache_read + cache_write_5m + cache_write_1h`);
    this.insertToolUse = sqlite.prepare(`
      INSERT INTO observer_tool_uses (id, session_id, file_path, name, target) VALUES (@id, @sessionId, @filePath, @name, @target)
      ON CONFLICT(id) DO NOTHING`);
    this.upsertSession = sqlite.prepare(`
      INSERT INTO observer_sessions (id, project_dir, cwd, git_branch, summary, first_prompt, first_at, last_at, figures, updated_at)
      VALUES (@id, @projectDir, @cwd, @gitBranch, @summary, @firstPrompt, @firstAt, @lastAt, NULL, @now)
      ON CONFLICT(id) DO UPDATE SET
        cwd = coalesce(excluded.cwd, cwd), git_branch = coalesce(excluded.git_branch, git_branch),
        summary = coalesce(excluded.summary, summary), first_prompt = coalesce(first_prompt, excluded.first_prompt),
        first_at = CASE WHEN first_at IS NULL OR excluded.first_at < first_at THEN coalesce(excluded.first_at, first_at) ELSE first_at END,
        last_at = CASE WHEN last_at IS NULL OR excluded.last_at > last_at THEN coalesce(excluded.last_at, last_at) ELSE last_at END,
        updated_at = excluded.updated_at`);
    this.upsertFile = sqlite.prepare(`
      INSERT INTO observer_files (path, project_dir, inode, offset, head, lines, malformed, updated_at)
      VALUES (@path, @projectDir, @inode, @offset, @head, @lines, @malformed, @updatedAt)
      ON CONFLICT(path) DO UPDATE SET inode = excluded.inode, offset = excluded.offset, head = excluded.head,
        lines = excluded.lines, malformed = excluded.malformed, updated_at = excluded.updated_at`);
    this.figureStatements = {
      groups: sqlite.prepare(
        `SELECT model, sidechain, ${USAGE_SUMS_SQL} FROM observer_messages WHERE session_id = ? GROUP BY model, sidechain`,
      ),
      tools: sqlite.prepare(`SELECT name, count(*) AS calls FROM observer_tool_uses WHERE session_id = ? GROUP BY name ORDER BY name`),
      changed: sqlite.prepare(`SELECT count(DISTINCT target) AS files FROM observer_tool_uses WHERE session_id = ? AND target IS NOT NULL`),
      save: sqlite.prepare(`UPDATE observer_sessions SET figures = ? WHERE id = ?`),
    };
    this.selectFile = sqlite.prepare(
      `SELECT path, project_dir AS projectDir, inode, offset, head, lines, malformed, updated_at AS updatedAt FROM observer_files WHERE path = ?`,
    );
    this.writeChunkTx = sqlite.transaction((chunk: ChunkWrite) => {
      const now = new Date().toISOString();
      for (const message of chunk.messages) {
        this.upsertMessage.run({
          key: message.key,
          sessionId: message.sessionId,
          projectDir: message.projectDir,
          filePath: message.filePath,
          at: message.at,
          model: message.model,
          ...message.tokens,
          costUsd: message.costUsd,
          sidechain: message.sidechain ? 1 : 0,
        });
      }
      for (const use of chunk.toolUses) this.insertToolUse.run(use);
      for (const session of chunk.sessions) this.upsertSession.run({ ...session, now });
      this.upsertFile.run(chunk.file);
    });
  }

  file(path: string): ObserverFileRow | undefined {
    return this.selectFile.get(path) as ObserverFileRow | undefined;
  }

  writeChunk(chunk: ChunkWrite): void {
    this.writeChunkTx(chunk);
  }

  saveFile(file: ObserverFileRow): void {
    this.upsertFile.run(file);
  }

  /** Forgets what a file contributed (it was truncated or replaced); returns the sessions it touched. */
  forgetFile(path: string): string[] {
    const sqlite = this.db.$client;
    return sqlite.transaction(() => {
      const sessions = sqlite
        .prepare(
          `SELECT session_id AS id FROM observer_messages WHERE file_path = ? UNION SELECT session_id FROM observer_tool_uses WHERE file_path = ?`,
        )
        .all(path, path) as { id: string }[];
      sqlite.prepare(`DELETE FROM observer_messages WHERE file_path = ?`).run(path);
      sqlite.prepare(`DELETE FROM observer_tool_uses WHERE file_path = ?`).run(path);
      sqlite.prepare(`DELETE FROM observer_files WHERE path = ?`).run(path);
      return sessions.map((row) => row.id);
    })();
  }

  /** Runs `work` in one transaction (the chunk writes inside it become savepoints): one commit for many files. */
  batch<T>(work: () => T): T {
    return this.db.$client.transaction(work)();
  }

  /** Recomputes a session's figures from its messages and tool calls (work grows with the session, not the host). */
  refreshFigures(sessionId: string): void {
    const statements = this.figureStatements;
    const groups = statements.groups.all(sessionId) as (UsageSums & { model: string; sidechain: number })[];
    const figures: SessionFigures = {
      models: [...new Set(groups.map((group) => group.model))].sort(),
      usage: emptyUsage(),
      sidechainUsage: emptyUsage(),
      toolCalls: {},
      filesChangedCount: 0,
    };
    for (const group of groups) {
      const usage = usageFromSums(group);
      addUsage(figures.usage, usage);
      if (group.sidechain) addUsage(figures.sidechainUsage, usage);
    }
    const tools = statements.tools.all(sessionId) as { name: string; calls: number }[];
    for (const tool of tools) figures.toolCalls[tool.name] = tool.calls;
    figures.filesChangedCount = (statements.changed.get(sessionId) as { files: number }).files;
    statements.save.run(JSON.stringify(figures), sessionId);
  }
}
