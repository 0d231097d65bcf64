import type { Kontask } from "@kon/protocol";
import { useEffect, useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { KontaskOutput } from "../components/kontask-output.tsx";
import { KontaskStatusPill } from "../components/kontask-status.tsx";
import { Link } from "../components/link.tsx";
import { TimingBar } from "../components/timing-bar.tsx";
import { navigate } from "../router.ts";
import { useStore } from "../store/use-store.ts";

/** The agent whose session this is, among the session lists already loaded; `claude` otherwise. */
function agentOf(sessionId: string): string {
  for (const [agent, entry] of Object.entries(app.store.get().sessions)) {
    if (entry.list?.some((s) => s.id === sessionId)) return agent;
  }
  return "claude";
}

function Choices({ kontask }: { kontask: Kontask }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = kontask.context.choices ?? [];
  if (choices.length === 0) return null;
  const choose = async (value: string) => {
    setBusy(true);
    setError(null);
    try {
      const accepted = await app.api.chooseKontask(kontask.id, value);
      const sessionId = accepted.userMessage.sessionId;
      navigate(`/sessions/${encodeURIComponent(agentOf(sessionId))}/${encodeURIComponent(sessionId)}`);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <div class="choices">
      {choices.map((c) => (
        <button key={c.value} type="button" class={c.primary ? "primary" : ""} disabled={busy} onClick={() => void choose(c.value)}>
          {c.label}
        </button>
      ))}
      <ErrorNote message={error} />
    </div>
  );
}

export default function KontaskPage({ id }: { id: string }) {
  const [kontask, setKontask] = useState<Kontask | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = useStore(app.store, (s) => s.kontasks.list.find((k) => k.id === id));

  useEffect(() => {
    setKontask(null);
    setError(null);
    app.api.kontask(id).then(setKontask, (err: unknown) => setError(messageOf(err)));
  }, [id]);
  useEffect(() => {
    if (live && kontask && live.updatedAt > kontask.updatedAt) setKontask(live);
  }, [live, kontask]);
  useEffect(() => {
    if (kontask) document.title = `${kontask.title} · kon`;
  }, [kontask]);

  if (error)
    return (
      <section class="page">
        <Link href="/kontasks">← Kontasks</Link>
        <ErrorNote message={error} />
      </section>
    );
  if (!kontask) return <p class="muted page">Loading kontask…</p>;
  const timing = kontask.context.turnTiming;
  return (
    <section class="page kontask-page">
      <Link href="/kontasks" class="back">
        ← Kontasks
      </Link>
      <h1>{kontask.title}</h1>
      <div class="meta">
        <KontaskStatusPill status={kontask.status} />
        <span>{kontask.type}</span>
        {kontask.scope && <span>scope {kontask.scope}</span>}
        {kontask.tags.map((t) => (
          <span key={t} class="tag">
            #{t}
          </span>
        ))}
        <span>by {kontask.createdBy}</span>
        <time dateTime={kontask.createdAt}>{new Date(kontask.createdAt).toLocaleString()}</time>
        {kontask.sessionId && (
          <Link href={`/sessions/${encodeURIComponent(agentOf(kontask.sessionId))}/${encodeURIComponent(kontask.sessionId)}`}>Open session</Link>
        )}
      </div>
      {kontask.description && <p class="text">{kontask.description}</p>}
      {timing && <TimingBar timing={{ ...timing, ttfeMs: timing.ttfeMs ?? null }} />}
      {kontask.context.output ? <KontaskOutput html={kontask.context.output} /> : <p class="muted">No output.</p>}
      <Choices kontask={kontask} />
      <details class="raw">
        <summary>Raw JSON</summary>
        <pre>{JSON.stringify(kontask, null, 2)}</pre>
      </details>
    </section>
  );
}
