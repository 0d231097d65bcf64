import { useEffect } from "preact/hooks";
import { app } from "../../app-instance.ts";
import { EmptyState } from "../../components/empty-state.tsx";
import { ErrorNote } from "../../components/error-note.tsx";
import { usePolling } from "../../components/use-polling.ts";
import { formatDuration } from "../../logic/format.ts";

const mb = (bytes: number | null) => (bytes === null ? "—" : `${Math.round(bytes / (1024 * 1024))} MB`);

export default function PoolPage() {
  useEffect(() => {
    document.title = "Hot pool · kon";
  }, []);
  const pool = usePolling(() => app.api.hotPool(), 3000);
  const stats = usePolling(() => app.api.sessionStats(), 5000);
  const hot = pool.data;
  return (
    <section class="page">
      <h1>Hot pool</h1>
      <ErrorNote message={stats.error} />
      {stats.data && (
        <p class="stat-line" title="Live process tokens bound to a session / live human logins">
          Claude sessions {stats.data.claudeSessions} / Human sessions {stats.data.humanSessions}
          <span class="muted"> · {stats.data.poolTokens} pool tokens unclaimed</span>
        </p>
      )}
      <ErrorNote message={pool.error} />
      {!hot && !pool.error && <p class="muted">Loading the pool…</p>}
      {hot && (
        <>
          <dl class="figures-grid">
            <div>
              <dt>Pool size</dt>
              <dd>
                {hot.poolSize} of {hot.targetSize} wanted
              </dd>
            </div>
            <div>
              <dt>Active sessions</dt>
              <dd>{hot.activeSessions}</dd>
            </div>
            <div>
              <dt>Refill</dt>
              <dd>
                {hot.refill.stopped ? "stopped" : "running"}, {hot.refill.failures} failure{hot.refill.failures === 1 ? "" : "s"}
                {hot.refill.backoffUntil && <> · backing off until {new Date(hot.refill.backoffUntil).toLocaleTimeString()}</>}
              </dd>
            </div>
          </dl>
          {hot.refill.lastError && <p class="error">Last refill error: {hot.refill.lastError}</p>}
          {hot.processes.length === 0 ? (
            <EmptyState>No hot processes right now.</EmptyState>
          ) : (
            <div class="table-wrap">
              <table>
                <caption>Hot processes</caption>
                <thead>
                  <tr>
                    <th scope="col">PID</th>
                    <th scope="col">State</th>
                    <th scope="col">Session</th>
                    <th scope="col">Age</th>
                    <th scope="col">Idle</th>
                    <th scope="col">Prompts</th>
                    <th scope="col">Memory</th>
                    <th scope="col">Max turns</th>
                  </tr>
                </thead>
                <tbody>
                  {hot.processes.map((p) => (
                    <tr key={p.claudeSessionId}>
                      <td>{p.pid ?? "—"}</td>
                      <td>{p.state}</td>
                      <td class="mono">{p.sessionId ?? "unclaimed"}</td>
                      <td>{formatDuration(p.ageSec * 1000)}</td>
                      <td>{formatDuration(p.idleSec * 1000)}</td>
                      <td>{p.prompts}</td>
                      <td>{mb(p.rssBytes)}</td>
                      <td>{p.maxTurns ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
