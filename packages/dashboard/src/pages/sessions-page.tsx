import { useEffect, useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { SessionRow } from "../components/session-row.tsx";
import { useNow } from "../components/use-now.ts";
import { navigate } from "../router.ts";
import { useStore } from "../store/use-store.ts";

export function SessionsPage({ agent }: { agent: string }) {
  const entry = useStore(app.store, (s) => s.sessions[agent]);
  const connection = useStore(app.store, (s) => s.connection);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const now = useNow();

  useEffect(() => {
    document.title = `${agent} sessions · kon`;
    void app.loadSessions(agent);
  }, [agent]);

  const create = async () => {
    setCreating(true);
    setError(null);
    try {
      const session = await app.createSession(agent);
      navigate(`/sessions/${encodeURIComponent(agent)}/${encodeURIComponent(session.id)}`);
    } catch (err) {
      setError(messageOf(err));
      setCreating(false);
    }
  };

  const list = entry?.list;
  return (
    <section class="page">
      <div class="page-head">
        <h1>
          Sessions <span class="muted">· {agent}</span>
        </h1>
        <button type="button" class="primary" disabled={creating} onClick={() => void create()}>
          New session
        </button>
      </div>
      <ErrorNote message={error ?? entry?.error} />
      {list === undefined || list === null ? (
        !entry?.error && <p class="muted">Loading sessions…</p>
      ) : list.length === 0 ? (
        <EmptyState>No sessions with {agent} yet. Start one with “New session”: it begins empty, at $0.</EmptyState>
      ) : (
        <ul class="session-list" aria-label={`${agent} sessions`}>
          {list.map((session) => (
            <SessionRow key={session.id} session={session} now={now} />
          ))}
        </ul>
      )}
      {connection !== "live" && list && <p class="muted small">Not live: the list updates again when the connection is back.</p>}
    </section>
  );
}
