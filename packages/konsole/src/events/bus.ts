import { EventBus, KonsoleEvent } from "@kon/protocol";
import type { Logger } from "../logger.ts";

export type KonsoleBus = EventBus<KonsoleEvent>;

/** konsole's one event bus; `check` parses every event against its schema (tests). */
export function createKonsoleBus(options: { logger?: Logger; check?: boolean } = {}): KonsoleBus {
  return new EventBus<KonsoleEvent>({
    check: options.check ? KonsoleEvent : undefined,
    onListenerError: options.logger
      ? (err, event) => options.logger?.error({ err, event: event.type }, "an event subscriber failed")
      : undefined,
  });
}
