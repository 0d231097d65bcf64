// Lines to add to a transcript the real CLI wrote, as if it had gone on writing.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

/** The transcript's last assistant line with usage again, as a new API message (new ids, now): one more message to count. */
export function oneMoreApiMessage(transcript: string): string {
  const line = readFileSync(transcript, "utf8")
    .split("\n")
    .findLast((l) => l.includes('"type":"assistant"') && l.includes('"usage"'));
  if (!line) throw new Error(`${transcript} has no assistant line with usage`);
  const record = JSON.parse(line) as { uuid: string; requestId?: string; timestamp: string; message: { id: string } };
  record.uuid = randomUUID();
  record.requestId = `req_${randomUUID()}`;
  record.message.id = `msg_${randomUUID()}`;
  record.timestamp = new Date().toISOString();
  return `${JSON.stringify(record)}\n`;
}
