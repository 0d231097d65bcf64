/**
 * The dashboard's own policy. Kontask output is shown in `<iframe sandbox srcdoc>`, which
 * inherits this policy: it may show `data:` images but never run scripts or reach elsewhere.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** JSON only: stored kontask HTML must never be rendered from an API response. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export const pageHeaders: Record<string, string> = {
  "Content-Security-Policy": PAGE_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

export const INDEX_CACHE = "no-cache";
export const ASSET_CACHE = "public, max-age=31536000, immutable";
