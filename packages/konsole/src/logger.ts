import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ name: "konsole", level });
}

export const silentLogger: Logger = pino({ level: "silent" });
