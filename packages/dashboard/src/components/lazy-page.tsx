import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "./error-note.tsx";

/** A page whose code loads on first use (admin pages, charts, the HTML sanitizer). */
export function lazyPage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | null>(() => loaded);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (Page) return;
      load().then(
        (mod) => {
          loaded = mod.default;
          setPage(() => mod.default);
        },
        () => setError("This page could not be loaded. Reload to get the current version of the dashboard."),
      );
    }, [Page]);
    if (error) return <ErrorNote message={error} />;
    if (!Page) return <p class="muted">Loading…</p>;
    return <Page {...props} />;
  };
}
