// The server's attachment rules (packages/konui/src/sessions/attachments.ts), checked before upload
// with the server's own wording so a person reads the same sentence either way.

const MB = 1024 * 1024;

export const ATTACHMENT_LIMITS = { maxFiles: 3, maxFileBytes: 5 * MB, maxImageBytesTotal: 10 * MB } as const;

/** What the check needs of a file: its first bytes decide whether it is an image, as on the server. */
export interface AttachmentCandidate {
  name: string;
  type: string;
  size: number;
  head: Uint8Array;
}

export type AttachmentKind = "image" | "text";

const startsWith = (bytes: Uint8Array, magic: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string): number[] => [...text].map((ch) => ch.charCodeAt(0));

export function isImage(head: Uint8Array): boolean {
  return (
    startsWith(head, [0xff, 0xd8, 0xff]) ||
    startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    startsWith(head, ascii("GIF87a")) ||
    startsWith(head, ascii("GIF89a")) ||
    (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8))
  );
}

const TEXT_TYPES = new Set(["text/plain", "text/markdown", "text/csv", "application/csv", "application/json"]);
const TEXT_EXTENSIONS = new Set(["txt", "md", "log", "csv", "json"]);

function claimsText(mediaType: string, name: string): boolean {
  const type = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (TEXT_TYPES.has(type)) return true;
  if (type !== "" && type !== "application/octet-stream") return false;
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return TEXT_EXTENSIONS.has(ext);
}

/** The sender's name as the server reports it. */
export function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[^A-Za-z0-9._ -]/g, "_").replace(/^[.\s]+/, "").slice(0, 100);
  return clean || "file";
}

export function classifyAttachment(file: AttachmentCandidate): AttachmentKind | string {
  const name = displayName(file.name);
  if (file.size > ATTACHMENT_LIMITS.maxFileBytes) return `${name} is larger than ${ATTACHMENT_LIMITS.maxFileBytes / MB} MB`;
  if (isImage(file.head)) return "image";
  if (claimsText(file.type, file.name)) return "text";
  return `${name}: only JPEG, PNG, GIF and WebP images and plain text, CSV or JSON files are accepted`;
}

/** The first rule the files break, or null when the server should accept them. */
export function checkAttachments(files: readonly AttachmentCandidate[]): string | null {
  if (files.length > ATTACHMENT_LIMITS.maxFiles) {
    return `At most ${ATTACHMENT_LIMITS.maxFiles} files per message (this one has ${files.length})`;
  }
  let imageBytes = 0;
  for (const file of files) {
    const kind = classifyAttachment(file);
    if (kind === "image") imageBytes += file.size;
    else if (kind !== "text") return kind;
  }
  if (imageBytes > ATTACHMENT_LIMITS.maxImageBytesTotal) {
    return `Images may total at most ${ATTACHMENT_LIMITS.maxImageBytesTotal / MB} MB per message`;
  }
  return null;
}
