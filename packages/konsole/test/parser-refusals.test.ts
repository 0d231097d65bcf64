import { afterAll, beforeAll, describe, it } from "vitest";
import { expectParserRefusalsInErrorShape } from "../../../test/support/parser-refusals.ts";
import { startKonsoleHarness, type KonsoleHarness } from "./support/konsole-harness.ts";

let h: KonsoleHarness;
beforeAll(async () => {
  h = await startKonsoleHarness();
});
afterAll(() => h.stop());

describe("what Node's HTTP parser refuses before konsole's app sees it", () => {
  it("answers oversized URLs and headers (431) and malformed requests (400) as an ErrorBody with the API's security headers", async () => {
    await expectParserRefusalsInErrorShape(h.konsole.url);
  });
});
