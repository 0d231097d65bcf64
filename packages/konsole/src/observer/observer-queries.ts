import type {
  ChangedFile,
  ObservedSession,
  ObservedSessionDetail,
  ObservedSessionPage,
  ObservedUsageReport,
  ObservedUsageRow,
  ObserverStatus,
  ObserverUsageGroup,
  UsageBlocksReport,
} from "@kon/protocol";
import type { ObserverSessionsQuery, ObserverUsageQuery } from "@kon/protocol";
import type { z } from "zod";
import type { KonsoleDb } from "../journal/database.ts";
import { addUsage, emptyUsage, USAGE_SUMS_SQL, usageFromSums, type SessionFacts, type SessionFigures } from "./observer-store.ts";
import { IDLE_WITHIN_MS, sessionStateOf } from "./session-state.ts";
import { usageBlocks, type BlockEntry } from "./usage-blocks.ts";

type SessionsQuery = z.output<typeof ObserverSessionsQuery>;
type UsageQuery = z.output<typeof ObserverUsageQuery>;

/** A stored session: its facts, and its figures as JSON. */
type SessionRow = SessionFacts & { figures: string | null };

export interface LiveConversations {
  /** Claude session ids a konsole process holds now. */
  live(): ReadonlySet<string>;
  /** konui session ids of conversations konsole ran. */
  konsoleSessions(claudeSessionIds: readonly string[]): Map<string, string>;
}

const SESSION_COLUMNS = `id, project_dir AS projectDir, cwd, git_branch AS gitBranch, summary, first_prompt AS firstPrompt,
  first_at AS firstAt, last_at AS lastAt, figures`;

const GROUP_KEYS: Record<ObserverUsageGroup, string> = {
  hour: `substr(at, 1, 13) || ':00:00Z'`,
  day: `substr(at, 1, 10)`,
  project: `project_dir`,
  model: `model`,
  session: `session_id`,
};

function figuresOf(raw: string | null): SessionFigures {
  const parsed = raw ? (JSON.parse(raw) as Partial<SessionFigures>) : {};
  return {
    models: parsed.models ?? [],
    usage: parsed.usage ?? emptyUsage(),
    sidechainUsage: parsed.sidechainUsage ?? emptyUsage(),
    toolCalls: parsed.toolCalls ?? {},
    filesChangedCount: parsed.filesChangedCount ?? 0,
  };
}

/** Reads the observer's tables into the API's shapes. */
export class ObserverQueries {
  constructor(
    private readonly db: KonsoleDb,
    private readonly conversations: LiveConversations,
  ) {}

  private sessionsFromRows(rows: SessionRow[], now = Date.now()): ObservedSession[] {
    const live = this.conversations.live();
    const linked = this.conversations.konsoleSessions(rows.map((row) => row.id));
    return rows.map((row) => ({
      id: row.id,
      projectDir: row.projectDir,
      cwd: row.cwd,
      gitBranch: row.gitBranch,
      title: row.summary ?? row.firstPrompt,
      ...figuresOf(row.figures),
      firstActivityAt: row.firstAt,
      lastActivityAt: row.lastAt,
      state: sessionStateOf(row.lastAt, live.has(row.id), now),
      konsoleSessionId: linked.get(row.id) ?? null,
    }));
  }

  session(id: string): ObservedSession | undefined {
    const row = this.db.$client.prepare(`SELECT ${SESSION_COLUMNS} FROM observer_sessions WHERE id = ?`).get(id) as SessionRow | undefined;
    return row ? this.sessionsFromRows([row])[0] : undefined;
  }

  sessions(ids: readonly string[]): ObservedSession[] {
    if (ids.length === 0) return [];
    const rows = this.db.$client
      .prepare(`SELECT ${SESSION_COLUMNS} FROM observer_sessions WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as SessionRow[];
    return this.sessionsFromRows(rows);
  }

  list(query: SessionsQuery): ObservedSessionPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.project) {
      where.push(`project_dir = ?`);
      params.push(query.project);
    }
    if (query.since) {
      where.push(`last_at >= ?`);
      params.push(query.since);
    }
    if (query.sessions) {
      where.push(`id IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(query.sessions));
    }
    if (query.active) {
      const recent = `(last_at >= ? OR id IN (SELECT value FROM json_each(?)))`;
      where.push(query.active === "true" ? recent : `NOT ${recent}`);
      params.push(new Date(Date.now() - IDLE_WITHIN_MS).toISOString(), JSON.stringify([...this.conversations.live()]));
    }
    const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    const sqlite = this.db.$client;
    const { total } = sqlite.prepare(`SELECT count(*) AS total FROM observer_sessions ${clause}`).get(...params) as { total: number };
    const rows = sqlite
      .prepare(`SELECT ${SESSION_COLUMNS} FROM observer_sessions ${clause} ORDER BY last_at IS NULL, last_at DESC, id LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as SessionRow[];
    const next = query.offset + rows.length;
    return { sessions: this.sessionsFromRows(rows), total, nextOffset: next < total && rows.length > 0 ? next : null };
  }

  detail(id: string): ObservedSessionDetail | undefined {
    const session = this.session(id);
    if (!session) return undefined;
    const sqlite = this.db.$client;
    const filesChanged = sqlite
      .prepare(
        `SELECT target AS path, count(*) AS count FROM observer_tool_uses WHERE session_id = ? AND target IS NOT NULL
         GROUP BY target ORDER BY count DESC, target`,
      )
      .all(id) as ChangedFile[];
    const usageSeries = this.usageRows(`session_id = ?`, [id], "hour");
    return { ...session, filesChanged, usageSeries };
  }

  private usageRows(clause: string, params: unknown[], groupBy: ObserverUsageGroup): ObservedUsageRow[] {
    const key = GROUP_KEYS[groupBy];
    const rows = this.db.$client
      .prepare(`SELECT ${key} AS key, ${USAGE_SUMS_SQL} FROM observer_messages ${clause ? `WHERE ${clause}` : ""} GROUP BY 1 ORDER BY 1`)
      .all(...params) as (Parameters<typeof usageFromSums>[0] & { key: string })[];
    return rows.map((row) => ({ key: row.key, ...usageFromSums(row) }));
  }

  usage(query: UsageQuery): ObservedUsageReport {
    const where: string[] = [];
    const params: unknown[] = [];
    const filters: [string, string | undefined][] = [
      [`at >= ?`, query.since],
      [`at < ?`, query.until],
      [`project_dir = ?`, query.project],
      [`model = ?`, query.model],
      [`session_id = ?`, query.session],
    ];
    for (const [condition, value] of filters) {
      if (value === undefined) continue;
      where.push(condition);
      params.push(value);
    }
    if (query.sessions) {
      where.push(`session_id IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(query.sessions));
    }
    const rows = this.usageRows(where.join(" AND "), params, query.groupBy);
    const totals = emptyUsage();
    for (const row of rows) addUsage(totals, row);
    return { groupBy: query.groupBy, since: query.since ?? null, until: query.until ?? null, rows, totals };
  }

  /** `sessions`: only these Claude sessions' messages count. */
  blocks(since: string | undefined, now = Date.now(), sessions?: readonly string[]): UsageBlocksReport {
    const where: string[] = [];
    const params: unknown[] = [];
    if (since) {
      where.push("at >= ?");
      params.push(since);
    }
    if (sessions) {
      where.push("session_id IN (SELECT value FROM json_each(?))");
      params.push(JSON.stringify(sessions));
    }
    const statement = this.db.$client.prepare(
      `SELECT at, model, 1 AS messages, input, output, cache_read AS cacheRead, cache_write_5m AS cacheWrite5m,
         cache_write_1h AS cacheWrite1h, cost_usd AS cost, cost_usd IS NULL AS unpriced
       FROM observer_messages ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY at`,
    );
    const rows = statement.iterate(...params) as IterableIterator<
      Parameters<typeof usageFromSums>[0] & { at: string; model: string }
    >;
    function* entries(): Generator<BlockEntry> {
      for (const row of rows) yield { at: row.at, model: row.model, usage: usageFromSums(row) };
    }
    return { blocks: usageBlocks(entries(), now) };
  }

  status(roots: string[], lastScanAt: string | null): ObserverStatus {
    const sqlite = this.db.$client;
    const files = sqlite
      .prepare(`SELECT count(*) AS files, coalesce(sum(lines), 0) AS lines, coalesce(sum(malformed), 0) AS malformed FROM observer_files`)
      .get() as { files: number; lines: number; malformed: number };
    const { sessions } = sqlite.prepare(`SELECT count(*) AS sessions FROM observer_sessions`).get() as { sessions: number };
    return { roots, files: files.files, sessions, lines: files.lines, malformedLines: files.malformed, lastScanAt };
  }

  /** Where the observer indexed the transcript of a Claude session: one file per observed root that has it. */
  transcriptFiles(claudeSessionId: string): string[] {
    const rows = this.db.$client
      .prepare(`SELECT path FROM observer_files WHERE path LIKE ? ESCAPE '\\' ORDER BY length(path)`)
      .all(`%/${claudeSessionId.replace(/[\\%_]/g, (c) => `\\${c}`)}.jsonl`) as { path: string }[];
    return rows.map((row) => row.path);
  }
}
