import { EventBus, KonuiEvent } from "@kon/protocol";
import type { Logger } from "../logger.ts";

export type KonuiBus = EventBus<KonuiEvent>;

/** Someone lost access (the `access.lost` event without its type). */
export type AccessLost = Omit<Extract<KonuiEvent, { type: "access.lost" }>, "type">;

/** konui's one event bus; `check` parses every event against its schema (tests). */
export function createKonuiBus(options: { logger?: Logger; check?: boolean } = {}): KonuiBus {
  return new EventBus<KonuiEvent>({
    check: options.check ? KonuiEvent : undefined,
    onListenerError: options.logger
      ? (err, event) => options.logger?.error({ err, event: event.type }, "an event subscriber failed")
      : undefined,
  });
}
