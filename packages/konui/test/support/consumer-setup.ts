import { KonsoleConsumer } from "../../src/konsole/consumer.ts";
import { TurnStream } from "../../src/konsole/turn-stream.ts";
import { SERVICE_TOKEN, silentLogger, type Harness } from "./harness.ts";
import type { KonsoleWsStub } from "./konsole-ws-stub.ts";

/** A consumer of the stub's journal over the harness's database and services, as `start()` builds it. */
export function consumerOf(h: Harness, stub: KonsoleWsStub): KonsoleConsumer {
  // The stub's journal is the one source of outcomes here: the fake konsole hands none over itself.
  h.konsole.journal = undefined;
  return new KonsoleConsumer({
    konsoleUrl: stub.url,
    serviceToken: SERVICE_TOKEN,
    db: h.database.db,
    recorder: h.services.recorder,
    stream: new TurnStream({ db: h.database.db, toolCalls: h.services.toolCalls, partials: h.services.partials, hub: h.services.hub }),
    decisions: h.services.decisions,
    host: h.services.hostFeed,
    logger: silentLogger,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
  });
}

export async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
