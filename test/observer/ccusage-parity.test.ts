// The observer and ccusage (pinned, offline) read the same committed corpus: real transcripts of
// the pinned CLI (fixtures/observer-corpus/real) and generated ones for what the harness does
// not write (…/generated). Daily tokens per model must be equal; daily cost within 0.5 % once
// the differences by design are accounted for, each named where it is applied.

import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ObservedUsageReport } from "@kon/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageCostOf } from "../../packages/konsole/src/claude/pricing.ts";
import { startObservingKonsole, type ObservingKonsole } from "../../packages/konsole/test/support/observing-konsole.ts";

const corpus = fileURLToPath(new URL("../../packages/konsole/test/fixtures/observer-corpus/", import.meta.url));
const roots = [path.join(corpus, "real"), path.join(corpus, "generated")];
const ccusageCli = path.join(path.dirname(createRequire(import.meta.url).resolve("ccusage/package.json")), "dist", "index.js");

interface CcusageBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
}
interface CcusageDay {
  date: string;
  modelBreakdowns: CcusageBreakdown[];
}

async function ccusageDaily(): Promise<CcusageDay[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [ccusageCli, "daily", "--json", "--offline"], {
    // Days in UTC, like the observer's.
    env: { PATH: process.env.PATH ?? "", HOME: corpus, TZ: "UTC", CLAUDE_CONFIG_DIR: roots.join(",") },
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as { daily: CcusageDay[] }).daily;
}

/** What a 1-hour cache write costs above a 5-minute one, per token of `model`. */
function oneHourPremium(model: string, tokens: number): number {
  const zero = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
  return (messageCostOf(model, { ...zero, cacheWrite1h: tokens }) ?? 0) - (messageCostOf(model, { ...zero, cacheWrite5m: tokens }) ?? 0);
}

describe("the observer against ccusage on the same corpus", () => {
  let observing: ObservingKonsole;
  let days: CcusageDay[];

  beforeAll(async () => {
    [observing, days] = await Promise.all([startObservingKonsole(roots), ccusageDaily()]);
    await observing.settled();
  });
  afterAll(async () => observing?.stop());

  async function observedByDay(model: string) {
    const { status, body } = await observing.get(`/observer/usage?groupBy=day&model=${encodeURIComponent(model)}`);
    expect(status).toBe(200);
    return new Map(ObservedUsageReport.parse(body).rows.map((row) => [row.key, row]));
  }

  it("has real and generated days, several models, 1-hour cache writes and an unpriced model to compare", () => {
    const models = new Set(days.flatMap((day) => day.modelBreakdowns.map((b) => b.modelName)));
    expect(days.length).toBeGreaterThanOrEqual(5);
    expect(models.size).toBeGreaterThanOrEqual(5);
    expect(models).toContain("claude-opus-5-5");
  });

  it("counts the same tokens per day and model, and the same cost but for the differences by design", async () => {
    let compared = 0;
    let costsCompared = 0;
    let oneHourSeen = 0;
    for (const day of days) {
      for (const breakdown of day.modelBreakdowns) {
        const observed = (await observedByDay(breakdown.modelName)).get(day.date);
        expect(observed, `${day.date} ${breakdown.modelName}`).toBeDefined();
        if (!observed) continue;
        const { tokens } = observed;
        expect({
          input: tokens.input,
          output: tokens.output,
          cacheRead: tokens.cacheRead,
          cacheWrite: tokens.cacheWrite5m + tokens.cacheWrite1h,
        }).toEqual({
          input: breakdown.inputTokens,
          output: breakdown.outputTokens,
          cacheRead: breakdown.cacheReadTokens,
          cacheWrite: breakdown.cacheCreationTokens,
        });
        compared++;
        if (breakdown.cost === 0) {
          // By design: ccusage 18's offline table has no claude-opus-5-5 (the pinned CLI's default
          // model) and counts it at 0; konsole prices it from the CLI's own catalog.
          expect(breakdown.modelName).toBe("claude-opus-5-5");
          expect(observed.costUsd).toBeGreaterThan(0);
          continue;
        }
        // By design: ccusage prices every cache write at the 5-minute rate; the API (and the
        // CLI's catalog, and konsole) charge 1-hour writes 2x input instead of 1.25x.
        const expected = breakdown.cost + oneHourPremium(breakdown.modelName, tokens.cacheWrite1h);
        if (tokens.cacheWrite1h > 0) oneHourSeen++;
        expect(Math.abs(observed.costUsd - expected) / expected, `${day.date} ${breakdown.modelName}`).toBeLessThanOrEqual(0.005);
        costsCompared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10);
    expect(costsCompared).toBeGreaterThanOrEqual(8);
    expect(oneHourSeen).toBeGreaterThanOrEqual(2);
  });

  it("has the same daily totals", async () => {
    const { body } = await observing.get(`/observer/usage?groupBy=day`);
    const observed = new Map(ObservedUsageReport.parse(body).rows.map((row) => [row.key, row]));
    for (const day of days) {
      const sum = (pick: (b: CcusageBreakdown) => number) => day.modelBreakdowns.reduce((total, b) => total + pick(b), 0);
      const row = observed.get(day.date);
      expect(row && row.tokens.input + row.tokens.output).toBe(sum((b) => b.inputTokens + b.outputTokens));
      expect(row && row.tokens.cacheWrite5m + row.tokens.cacheWrite1h + row.tokens.cacheRead).toBe(
        sum((b) => b.cacheCreationTokens + b.cacheReadTokens),
      );
    }
    expect([...observed.keys()].sort()).toEqual(days.map((day) => day.date).sort());
  });
});
