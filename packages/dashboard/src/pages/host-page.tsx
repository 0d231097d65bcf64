import type { ObservedUsageReport } from "@kon/protocol";
import { useEffect, useMemo } from "preact/hooks";
import { app } from "../app-instance.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { HostSessionRow } from "../components/host-session-row.tsx";
import { HostTotals } from "../components/host-totals.tsx";
import { UsageBlockCard } from "../components/usage-block-card.tsx";
import { useLiveRead } from "../components/use-live-read.ts";
import { useNow } from "../components/use-now.ts";
import type { HostFilter } from "../store/host-list.ts";
import { useStore } from "../store/use-store.ts";

const HOUR = 3_600_000;
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * HOUR).toISOString().slice(0, 10);

function byCost(report: ObservedUsageReport): ObservedUsageReport {
  return { ...report, rows: [...report.rows].sort((a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key)) };
}
function newestFirst(report: ObservedUsageReport): ObservedUsageReport {
  return { ...report, rows: [...report.rows].reverse() };
}

/** Every Claude Code session on the host (admins) or of the person's own sessions: live. */
export function HostPage() {
  const host = useStore(app.store, (s) => s.host);
  const isAdmin = useStore(app.store, (s) => s.user?.role === "admin");
  const connection = useStore(app.store, (s) => s.connection);
  const now = useNow();

  useEffect(() => {
    document.title = "Host · kon";
    void app.loadHostSessions(app.store.get().host.filter);
  }, []);

  const blocks = useLiveRead(() => app.api.hostBlocks({ since: new Date(Date.now() - 10 * HOUR).toISOString() }), "blocks", host.revision);
  const projects = useLiveRead(() => app.api.hostUsage({ groupBy: "project", since: daysAgo(29) }), "projects", host.revision);
  const days = useLiveRead(() => app.api.hostUsage({ groupBy: "day", since: daysAgo(13) }), "days", host.revision);
  const status = useLiveRead(() => (isAdmin ? app.api.hostStatus() : Promise.resolve(null)), `status-${isAdmin}`, host.revision, 5000);
  const activeBlock = useMemo(() => blocks.data?.blocks.find((b) => b.isActive && !b.isGap), [blocks.data]);

  const list = host.list;
  return (
    <section class="page">
      <div class="page-head">
        <h1>Host</h1>
        <label class="inline-label">
          Show
          <select value={host.filter} onChange={(e) => void app.loadHostSessions(e.currentTarget.value as HostFilter)}>
            <option value="active">Active sessions</option>
            <option value="all">All sessions</option>
          </select>
        </label>
      </div>
      <p class="hint">
        {isAdmin
          ? "Every Claude Code session on this machine, terminals included, as konsole reads their transcripts."
          : "The Claude Code conversations of your own sessions, as konsole reads their transcripts."}
        {status.data && (
          <>
            {" "}
            Watching {status.data.files} transcript{status.data.files === 1 ? "" : "s"} under {status.data.roots.join(", ") || "no folder"}
            {status.data.malformedLines > 0 && `; ${status.data.malformedLines} unreadable lines skipped`}.
          </>
        )}
      </p>
      <ErrorNote message={blocks.error} />
      {blocks.data && <UsageBlockCard block={activeBlock} />}
      <h2>{host.filter === "active" ? "Active sessions" : "All sessions"}</h2>
      <ErrorNote message={host.error} />
      {list === null ? (
        !host.error && <p class="muted">Loading host sessions…</p>
      ) : list.length === 0 ? (
        <EmptyState>
          {host.filter === "active"
            ? "No session wrote to its transcript in the last hour. Choose “All sessions” to see older ones."
            : isAdmin
              ? "No Claude Code transcripts on this host yet."
              : "None of your sessions has a conversation yet."}
        </EmptyState>
      ) : (
        <ul class="session-list" aria-label="Host sessions">
          {list.map((session) => (
            <HostSessionRow key={session.id} session={session} now={now} />
          ))}
        </ul>
      )}
      {list && host.total > list.length && (
        <p class="muted small">
          Showing the {list.length} most recent of {host.total}.
        </p>
      )}
      <ErrorNote message={projects.error ?? days.error} />
      {projects.data && <HostTotals caption="Per project, last 30 days" keyLabel="Project" report={byCost(projects.data)} />}
      {days.data && <HostTotals caption="Per day (UTC), last 14 days" keyLabel="Day" report={newestFirst(days.data)} />}
      {connection !== "live" && list && <p class="muted small">Not live: the page updates again when the connection is back.</p>}
    </section>
  );
}
