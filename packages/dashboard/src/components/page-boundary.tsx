import type { ComponentChildren } from "preact";
import { useErrorBoundary } from "preact/hooks";

/** A page that throws while rendering shows what happened in its place instead of a blank window. */
export function PageBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary((err: unknown) => console.error("page failed to render", err));
  if (error) {
    return (
      <section class="page">
        <h1>This page failed</h1>
        <p class="error" role="alert">
          {error instanceof Error ? error.message : String(error)}
        </p>
        <p>
          <button type="button" onClick={reset}>
            Try again
          </button>
        </p>
      </section>
    );
  }
  return <>{children}</>;
}
