import type { ImageMediaType } from "@kon/protocol";

const startsWith = (bytes: Uint8Array, magic: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);

const ascii = (text: string): number[] => [...text].map((ch) => ch.charCodeAt(0));

/** The image type the bytes really are (by magic number), whatever the name or header claims. */
export function sniffImage(bytes: Uint8Array): ImageMediaType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  return undefined;
}

const BINARY_MAGICS: readonly (readonly number[])[] = [
  ascii("%PDF"),
  [0x50, 0x4b, 0x03, 0x04], // zip, docx, jar …
  [0x1f, 0x8b], // gzip
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
  ascii("Rar!"),
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  ascii("ID3"), // mp3
  ascii("OggS"),
  [0x1a, 0x45, 0xdf, 0xa3], // matroska / webm
];

/** True when the bytes are a known binary format or not clean UTF-8 text. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (BINARY_MAGICS.some((magic) => startsWith(bytes, magic))) return true;
  if (startsWith(bytes, ascii("ftyp"), 4)) return true; // mp4, mov, heic
  if (bytes.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

export type TextKind = "txt" | "csv" | "json";

const TEXT_TYPES: Record<string, TextKind> = {
  "text/plain": "txt",
  "text/markdown": "txt",
  "text/csv": "csv",
  "application/csv": "csv",
  "application/json": "json",
};
const TEXT_EXTENSIONS: Record<string, TextKind> = { txt: "txt", md: "txt", log: "txt", csv: "csv", json: "json" };

/** The text kind a file claims by its media type or, failing that, its extension. */
export function claimedTextKind(mediaType: string, name: string): TextKind | undefined {
  const type = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  const byType = TEXT_TYPES[type];
  if (byType) return byType;
  if (type !== "" && type !== "application/octet-stream") return undefined;
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return TEXT_EXTENSIONS[ext];
}
