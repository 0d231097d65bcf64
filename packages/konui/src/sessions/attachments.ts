import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { ensurePrivateDirAsync } from "@kon/storage";
import { ApiError, type ImageAttachment, type MessageAttachment, type WorkspaceFile } from "@kon/protocol";
import { claimedTextKind, looksBinary, sniffImage, type TextKind } from "./sniff.ts";

const MB = 1024 * 1024;

const ATTACHMENT_LIMITS = {
  maxFiles: 3,
  maxFileBytes: 5 * MB,
  maxImageBytesTotal: 10 * MB,
} as const;

/** Where konsole puts `files` in the session's workspace, relative to the agent's working directory. */
const WORKSPACE_UPLOADS_DIR = "uploads";

export interface PreparedAttachments {
  images: ImageAttachment[];
  /** Text files for konsole to write into the agent's workspace, under konui's generated names. */
  files: WorkspaceFile[];
  attachments: MessageAttachment[];
  /** Lines appended to the message so Claude knows where the text files are. */
  notes: string[];
  /** konui's own copies, so a turn konsole refused leaves nothing behind. */
  storedPaths: string[];
}

type Classified =
  | { kind: "image"; file: File; bytes: Uint8Array; mediaType: ImageAttachment["mediaType"] }
  | { kind: "text"; file: File; bytes: Uint8Array; textKind: TextKind };

const TEXT_MEDIA_TYPES: Record<TextKind, string> = { txt: "text/plain", csv: "text/csv", json: "application/json" };

/** The sender's name reduced to a harmless label; never used as a path. */
function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[^A-Za-z0-9._ -]/g, "_").replace(/^[.\s]+/, "").slice(0, 100);
  return clean || "file";
}

async function classify(file: File): Promise<Classified> {
  const name = displayName(file.name);
  if (file.size > ATTACHMENT_LIMITS.maxFileBytes) {
    throw new ApiError("payload_too_large", `${name} is larger than ${ATTACHMENT_LIMITS.maxFileBytes / MB} MB`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const image = sniffImage(bytes);
  if (image) return { kind: "image", file, bytes, mediaType: image };
  const textKind = claimedTextKind(file.type, file.name);
  if (!textKind || looksBinary(bytes)) {
    throw new ApiError(
      "unsupported_media_type",
      `${name}: only JPEG, PNG, GIF and WebP images and plain text, CSV or JSON files are accepted`,
    );
  }
  if (textKind === "json") {
    try {
      JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new ApiError("unsupported_media_type", `${name} is not valid JSON`);
    }
  }
  return { kind: "text", file, bytes, textKind };
}

/**
 * Checks every rule before anything is written: count, per-file size, image total, content
 * type by magic bytes. Text files then go into `uploadsDir` under generated names, and the same
 * names go to konsole, which writes them into the agent's workspace (it may run elsewhere).
 */
export async function prepareAttachments(files: readonly File[], uploadsDir: string): Promise<PreparedAttachments> {
  if (files.length > ATTACHMENT_LIMITS.maxFiles) {
    throw new ApiError("bad_request", `At most ${ATTACHMENT_LIMITS.maxFiles} files per message (this one has ${files.length})`);
  }
  const classified: Classified[] = [];
  for (const file of files) classified.push(await classify(file));
  const imageBytes = classified.reduce((sum, c) => sum + (c.kind === "image" ? c.bytes.length : 0), 0);
  if (imageBytes > ATTACHMENT_LIMITS.maxImageBytesTotal) {
    throw new ApiError("payload_too_large", `Images may total at most ${ATTACHMENT_LIMITS.maxImageBytesTotal / MB} MB per message`);
  }

  const result: PreparedAttachments = { images: [], files: [], attachments: [], notes: [], storedPaths: [] };
  const root = path.resolve(uploadsDir);
  for (const item of classified) {
    const name = displayName(item.file.name);
    if (item.kind === "image") {
      result.images.push({ mediaType: item.mediaType, data: Buffer.from(item.bytes).toString("base64") });
      result.attachments.push({ kind: "image", name, mediaType: item.mediaType, size: item.bytes.length, path: null });
      continue;
    }
    const storedName = `${randomUUID()}.${item.textKind}`;
    const target = path.join(root, storedName);
    if (path.dirname(target) !== root) throw new ApiError("internal", "Upload path escaped its directory");
    await ensurePrivateDirAsync(root);
    await fs.writeFile(target, item.bytes, { flag: "wx", mode: 0o600 });
    result.storedPaths.push(target);
    result.files.push({ name: storedName, data: Buffer.from(item.bytes).toString("base64") });
    const mediaType = TEXT_MEDIA_TYPES[item.textKind];
    const agentPath = `${WORKSPACE_UPLOADS_DIR}/${storedName}`;
    result.attachments.push({ kind: "file", name, mediaType, size: item.bytes.length, path: agentPath });
    result.notes.push(`[Attached file "${name}" (${mediaType}, ${item.bytes.length} bytes) saved at ${agentPath}]`);
  }
  return result;
}
