/** What `/` shows when konui runs without a built dashboard (the API works regardless). */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>kon: dashboard not built</title></head>
<body>
<main>
<h1>The dashboard is not built</h1>
<p>konui is running and its API answers under <code>/api</code>, but there are no dashboard files to serve.</p>
<p>Build them from the repository root with</p>
<pre><code>npx -y pnpm@10.34.9 --filter @kon/dashboard build</code></pre>
<p>(<code>pnpm start</code> does this by itself), or point <code>KONUI_DASHBOARD_DIR</code> at a built dashboard
(a folder holding <code>index.html</code> and <code>assets/</code>), then reload this page.</p>
</main>
</body>
</html>
`;
