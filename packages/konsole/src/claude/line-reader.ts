import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/**
 * Calls `onLine` for every newline-terminated line of `stream`, however long, and once more
 * for a trailing partial line when the stream ends.
 */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  stream.on("data", (chunk: Buffer) => {
    pending += decoder.write(chunk);
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      const line = pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      if (line.length > 0) onLine(line);
      newline = pending.indexOf("\n");
    }
  });
  stream.on("end", () => {
    const rest = (pending + decoder.end()).trim();
    pending = "";
    if (rest.length > 0) onLine(rest);
  });
}
