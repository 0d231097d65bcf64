import { useMemo } from "preact/hooks";
import { sanitizeKontaskHtml } from "../logic/kontask-html.ts";

const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
const FRAME_STYLE =
  "body{font:14px/1.5 system-ui,sans-serif;margin:12px;color:#1c1f24;background:#fff}@media (prefers-color-scheme:dark){body{color:#e4e6ea;background:#16181c}a{color:#8ab4ff}}img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #8884;padding:2px 6px}pre{white-space:pre-wrap}";

/** The document the frame shows: sanitized HTML under its own CSP, in a sandbox that runs no script. */
export function outputDocument(html: string): string {
  const clean = sanitizeKontaskHtml(html);
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><style>${FRAME_STYLE}</style></head><body>${clean}</body></html>`;
}

export function KontaskOutput({ html }: { html: string }) {
  const doc = useMemo(() => outputDocument(html), [html]);
  return <iframe class="kontask-output" title="Kontask output" sandbox="" srcdoc={doc} referrerpolicy="no-referrer" />;
}
