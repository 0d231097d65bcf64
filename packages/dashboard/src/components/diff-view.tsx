import { lineDiff } from "../logic/line-diff.ts";

/** An edit as removed and added lines around the unchanged ones. */
export function DiffView({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = lineDiff(before, after);
  return (
    <pre class="diff" role="group" aria-label={label}>
      {lines.map((line, i) =>
        line.kind === "del" ? (
          <del key={i}>{line.text}</del>
        ) : line.kind === "add" ? (
          <ins key={i}>{line.text}</ins>
        ) : (
          <span key={i}>{line.text}</span>
        ),
      )}
    </pre>
  );
}
