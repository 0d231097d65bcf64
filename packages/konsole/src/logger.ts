import { pino, type Logger } from "pino";
import { currentRequestId } from "./http/request-context.ts";

export type { Logger };

/** Each line logged while a request's work runs carries its `reqId`. */
const withRequestId = (): Record<string, string> => {
  const reqId = currentRequestId();
  return reqId === undefined ? {} : { reqId };
};

export function createLogger(level: string): Logger {
  return pino({ name: "konsole", level, mixin: withRequestId });
}

export const silentLogger: Logger = pino({ level: "silent" });
