import { afterAll, beforeAll, describe, it } from "vitest";
import { expectParserRefusalsInErrorShape } from "../../../test/support/parser-refusals.ts";
import { start, type RunningKonui } from "../src/index.ts";
import { FakeKonsole } from "./support/fake-konsole.ts";
import { listeningConfig, silentLogger } from "./support/harness.ts";

let konui: RunningKonui;
beforeAll(async () => {
  konui = await start(listeningConfig(), { konsole: new FakeKonsole(), logger: silentLogger, print: () => {} });
});
afterAll(() => konui.stop());

describe("what Node's HTTP parser refuses before konui's app sees it", () => {
  it("answers oversized URLs and headers (431) and malformed requests (400) as an ErrorBody with the API's security headers", async () => {
    await expectParserRefusalsInErrorShape(konui.url);
  });
});
