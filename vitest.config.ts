import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Real `claude` processes are heavy (~230 MB, ~0.5 s each) and the machine has 2 cores.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
