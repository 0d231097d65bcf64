import type { AttachmentCandidate } from "./attachments.ts";

/** The first bytes of each file, which decide whether the server will take it as an image. */
export async function describeFiles(files: readonly File[]): Promise<AttachmentCandidate[]> {
  return Promise.all(
    files.map(async (file) => ({
      name: file.name,
      type: file.type,
      size: file.size,
      head: new Uint8Array(await file.slice(0, 16).arrayBuffer()),
    })),
  );
}
