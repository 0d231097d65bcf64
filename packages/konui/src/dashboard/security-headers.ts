import { API_SECURITY_HEADERS } from "@kon/protocol";

/**
 * The dashboard's own policy. Kontask output is shown in `<iframe sandbox srcdoc>`, and a srcdoc
 * document inherits this policy (its own `<meta>` policy can only narrow it): its `<style>` and
 * `style=""` need 'unsafe-inline' in style-src, which lets CSS apply but reach nothing, since
 * images, fonts and connections stay same-origin. Scripts never run: script-src is 'self' alone
 * and the sandbox has no allow-scripts.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** JSON only: stored kontask HTML must never be rendered from an API response. */
export const API_CSP = API_SECURITY_HEADERS["Content-Security-Policy"];

export const pageHeaders: Record<string, string> = {
  "Content-Security-Policy": PAGE_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

export const INDEX_CACHE = "no-cache";
export const ASSET_CACHE = "public, max-age=31536000, immutable";
