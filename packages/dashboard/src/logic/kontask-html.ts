import DOMPurify from "dompurify";

/** Anything in CSS that could fetch: url(), image-set(), @import; escapes could spell them, so a style with one goes whole. */
const FETCHING_CSS = /url\s*\(|image-set\s*\(|@import|\\/i;

DOMPurify.addHook("uponSanitizeElement", (node, data) => {
  if (data.tagName === "style" && FETCHING_CSS.test(node.textContent ?? "")) node.textContent = "";
});
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (!(node instanceof Element)) return;
  if (FETCHING_CSS.test(node.getAttribute("style") ?? "")) node.removeAttribute("style");
  // The frame's policy only lets data: images load; anything else would be a refused request.
  if (!/^data:/i.test(node.getAttribute("src") ?? "data:")) node.removeAttribute("src");
  node.removeAttribute("srcset");
});

/**
 * Chrome reports the page's CSP refusing event handlers and `<base href>` even in DOMPurify's
 * inert parse (a false alarm on the console, cure53/DOMPurify#900): they are renamed inside tags
 * first, then dropped like every other unknown tag or data attribute. DOMPurify still decides
 * what is safe.
 */
function defuse(html: string): string {
  return html.replace(/<[^>]*>/g, (tag) =>
    tag.replace(/^<(\/?)base\b/i, "<$1defused-base").replace(/(\s|\/)on([a-z]+\s*=)/gi, "$1data-defused-on$2"),
  );
}

/** A kontask's HTML output with nothing left that runs, submits or fetches from elsewhere. */
export function sanitizeKontaskHtml(html: string): string {
  return DOMPurify.sanitize(defuse(html), {
    USE_PROFILES: { html: true },
    ALLOW_DATA_ATTR: false,
    FORBID_TAGS: ["form", "input", "button", "textarea", "select", "base", "meta", "link"],
  });
}
