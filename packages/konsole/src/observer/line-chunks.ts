import { readSync } from "node:fs";

const NEWLINE = 0x0a;

export interface CompleteLine {
  line: Buffer;
  /** Byte offset of the line's first byte. */
  start: number;
}

/**
 * Reads file `fd` from `from` through `buffer`, chunk by chunk, and hands over the complete
 * (newline-terminated) lines of each chunk with the offset just past the last of them; a partial
 * last line is left for the next read. Memory holds the buffer plus at most one unfinished line.
 */
export function readCompleteLines(
  fd: number,
  from: number,
  buffer: Buffer,
  onChunk: (lines: CompleteLine[], endOffset: number) => void,
): number {
  let carry: Buffer = Buffer.alloc(0);
  let position = from;
  let consumed = from;
  for (;;) {
    const bytesRead = readSync(fd, buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
    const lines: CompleteLine[] = [];
    let lineStart = 0;
    let newline = data.indexOf(NEWLINE, lineStart);
    while (newline !== -1) {
      lines.push({ line: data.subarray(lineStart, newline), start: consumed + lineStart });
      lineStart = newline + 1;
      newline = data.indexOf(NEWLINE, lineStart);
    }
    // The next read reuses `buffer`, so the unfinished tail is copied out of it.
    carry = Buffer.from(data.subarray(lineStart));
    if (lines.length > 0) {
      consumed += lineStart;
      onChunk(lines, consumed);
    }
    if (bytesRead < buffer.length) break;
  }
  return consumed;
}
