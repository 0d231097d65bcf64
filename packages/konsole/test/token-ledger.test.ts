import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type OpenDatabase } from "../src/journal/database.ts";
import { TokenLedger } from "../src/journal/token-ledger.ts";
import { silentLogger } from "../src/logger.ts";
import { revokeLeftoverTokens } from "../src/supervisor/leftover-tokens.ts";
import { ProcessTokenClient } from "../src/tokens/process-token-client.ts";
import { SERVICE_TOKEN } from "./support/konsole-harness.ts";
import { startKonuiStandIn, type KonuiStandIn } from "./support/konui-stand-in.ts";

let dataDir: string;
let database: OpenDatabase;
let konui: KonuiStandIn;
/** Takes connections and never answers: a konui that hangs. */
let hanging: Server;
let hangingUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "konsole-ledger-"));
  database = openDatabase(dataDir);
  konui = await startKonuiStandIn(SERVICE_TOKEN);
  hanging = createServer(() => {});
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
});

afterAll(async () => {
  hanging?.closeAllConnections();
  hanging?.close();
  await konui?.stop();
  database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const clientOf = (konuiUrl: string, ledger: TokenLedger, timeoutMs?: number) =>
  new ProcessTokenClient({ konuiUrl, serviceToken: SERVICE_TOKEN, logger: silentLogger, heldTokens: ledger, timeoutMs });

describe("the process token ledger", () => {
  it("holds every granted token until it is revoked; start-up revokes what is left, briefly when konui hangs", async () => {
    const ledger = new TokenLedger(database.db);
    const client = clientOf(konui.url, ledger);
    const pooled = await client.issuePooled({ processId: "p-1" });
    const bound = await client.issue({ processId: "p-2", sessionId: "s", userId: "u" });
    const given = await client.issue({ processId: "p-3", sessionId: "s", userId: "u" });
    await client.revoke(given.tokenId);
    ledger.held("expired-token", "p-0", new Date(Date.now() - 1_000).toISOString());
    expect(ledger.all().map((row) => row.tokenId).sort()).toEqual([pooled.tokenId, bound.tokenId, "expired-token"].sort());

    // The client's own timeout is an hour: only start-up's short one lets this return within the test's time.
    const deps = { tokens: clientOf(hangingUrl, ledger, 3_600_000), tokenLedger: ledger, logger: silentLogger };
    expect(await revokeLeftoverTokens(deps)).toBe(0);
    expect(ledger.all().map((row) => row.tokenId).sort()).toEqual([pooled.tokenId, bound.tokenId].sort());

    expect(await revokeLeftoverTokens({ ...deps, tokens: client })).toBe(2);
    expect(ledger.all()).toEqual([]);
    expect(konui.issued.map((entry) => entry.revokedAt !== null)).toEqual([true, true, true]);
  }, 120_000);
});
