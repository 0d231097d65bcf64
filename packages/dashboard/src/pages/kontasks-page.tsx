import type { KontaskStatus } from "@kon/protocol";
import { useEffect, useMemo, useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import type { KontaskFilters } from "../api/endpoints.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { KontaskStatusPill } from "../components/kontask-status.tsx";
import { Link } from "../components/link.tsx";
import { useNow } from "../components/use-now.ts";
import { formatAgo } from "../logic/format.ts";
import { navigate, route } from "../router.ts";
import { useStore } from "../store/use-store.ts";

const STATUSES: KontaskStatus[] = ["pending", "in_progress", "awaiting_input", "completed", "failed", "cancelled"];
const TEXT_FILTERS = [
  ["type", "Type"],
  ["scope", "Scope"],
  ["tag", "Tag"],
  ["session", "Session"],
] as const;
const KEYS = ["status", "type", "scope", "tag", "session"] as const;

function filtersFrom(search: URLSearchParams): KontaskFilters {
  const filters: KontaskFilters = {};
  for (const key of KEYS) {
    const value = search.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

function FilterBar({ filters }: { filters: KontaskFilters }) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const apply = (next: KontaskFilters) => {
    const params = new URLSearchParams();
    for (const key of KEYS) if (next[key]) params.set(key, next[key] ?? "");
    const qs = params.toString();
    navigate(qs ? `/kontasks?${qs}` : "/kontasks", { replace: true });
  };
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault();
        apply(draft);
      }}
    >
      <label>
        Status
        <select value={draft.status ?? ""} onChange={(e) => apply({ ...draft, status: e.currentTarget.value || undefined })}>
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace("_", " ")}
            </option>
          ))}
        </select>
      </label>
      {TEXT_FILTERS.map(([key, label]) => (
        <label key={key}>
          {label}
          <input
            value={draft[key] ?? ""}
            onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
            onChange={(e) => apply({ ...draft, [key]: e.currentTarget.value })}
          />
        </label>
      ))}
      <button type="submit" class="quiet">
        Apply filters
      </button>
    </form>
  );
}

export function KontasksPage() {
  const search = useStore(route, (r) => r.search.toString());
  const filters = useMemo(() => filtersFrom(new URLSearchParams(search)), [search]);
  const state = useStore(app.store, (s) => s.kontasks);
  const now = useNow();
  useEffect(() => {
    document.title = "Kontasks · kon";
    void app.loadKontasks(filters);
  }, [filters]);
  const filtered = Object.keys(filters).length > 0;

  return (
    <section class="page">
      <div class="page-head">
        <h1>Kontasks</h1>
      </div>
      <FilterBar filters={filters} />
      <ErrorNote message={state.error} />
      {state.list.length === 0 && !state.loading && !state.error && (
        <EmptyState>
          {filtered ? "No kontasks match these filters." : "No kontasks yet. Agents create them when they have results or questions for you."}
        </EmptyState>
      )}
      {state.list.length > 0 && (
        <ul class="kontask-list">
          {state.list.map((k) => (
            <li key={k.id} class="card kontask-row">
              <Link href={`/kontasks/${encodeURIComponent(k.id)}`} class="kontask-title">
                {k.title}
              </Link>
              <div class="meta">
                <KontaskStatusPill status={k.status} />
                <span>{k.type}</span>
                {k.scope && <span>scope {k.scope}</span>}
                {k.tags.map((t) => (
                  <span key={t} class="tag">
                    #{t}
                  </span>
                ))}
                <span>by {k.createdBy}</span>
                <time dateTime={k.createdAt}>{formatAgo(k.createdAt, now)}</time>
              </div>
            </li>
          ))}
        </ul>
      )}
      {state.loading && <p class="muted">Loading kontasks…</p>}
      {state.nextCursor && !state.loading && (
        <button type="button" class="quiet" onClick={() => void app.loadKontasks(filters, true)}>
          Load more
        </button>
      )}
    </section>
  );
}
