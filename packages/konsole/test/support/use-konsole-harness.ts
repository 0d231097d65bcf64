// The vitest side of the harness, apart so that benchmarks can start a harness outside vitest.

import { afterAll, beforeAll } from "vitest";
import { startKonsoleHarness, type HarnessOptions, type KonsoleHarness } from "./konsole-harness.ts";

/**
 * A harness started before the tests of the enclosing file or `describe` and stopped after
 * them. The returned object stands for it (it forwards to the running harness), so tests
 * write `h.hotPrompt(…)` as with one they started themselves.
 */
export function useKonsoleHarness(options: HarnessOptions = {}): KonsoleHarness {
  let running: KonsoleHarness | undefined;
  beforeAll(async () => {
    running = await startKonsoleHarness(options);
  }, 240_000);
  afterAll(async () => {
    await running?.stop();
  });
  return new Proxy({} as KonsoleHarness, {
    get(_target, key) {
      if (!running) throw new Error("the konsole harness is used before it started (outside a test?)");
      return Reflect.get(running, key);
    },
  });
}
