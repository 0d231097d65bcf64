import { defineConfig } from "vite";

const konui = process.env.KONUI_URL ?? "http://127.0.0.1:7800";

export default defineConfig({
  // Vite 8 transforms with oxc; Preact's automatic JSX runtime is named here so nothing depends on tsconfig lookup.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", assetsDir: "assets", emptyOutDir: true, sourcemap: false, target: "es2022" },
  server: {
    proxy: {
      "/api": { target: konui, ws: true },
      "/health": { target: konui },
    },
  },
});
