import { pino, type DestinationStream, type Logger } from "pino";
import { currentRequestId } from "@kon/openapi";

export type { Logger };

/** Each line logged while a request's work runs carries its `reqId`. */
const withRequestId = (): Record<string, string> => {
  const reqId = currentRequestId();
  return reqId === undefined ? {} : { reqId };
};

/** `destination` defaults to stdout (tests pass their own to read the lines). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { name: "konsole", level, mixin: withRequestId };
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger: Logger = pino({ level: "silent" });
