import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ApiError, type WorkspaceFile } from "@kon/protocol";

const UPLOADS_DIR = "uploads";

export function workspacesRoot(dataDir: string): string {
  return path.join(dataDir, "workspaces");
}

/** `<dataDir>/workspaces/<name>`: where a session (or a pool process, `hot-<uuid>`) works unless its turn names a cwd. */
export function workspaceDir(dataDir: string, name: string): string {
  return path.join(workspacesRoot(dataDir), name);
}

/** Whether `name` stays a plain file directly inside the uploads folder. */
export function staysInUploads(name: string): boolean {
  // An absolute name would be resolved from the root, not from the uploads folder.
  if (path.isAbsolute(name)) return false;
  const uploads = path.resolve("/", UPLOADS_DIR);
  return path.dirname(path.resolve(uploads, name)) === uploads;
}

/** Refuses (400) a request naming a file that would land outside the uploads folder. */
export function checkWorkspaceFiles(files: readonly WorkspaceFile[]): void {
  const bad = files.find((file) => !staysInUploads(file.name));
  if (bad) throw new ApiError("bad_request", `File name ${JSON.stringify(bad.name)} leaves the uploads folder`);
}

/** Writes each file to `<cwd>/uploads/<name>`, refusing any name that would land outside that folder. */
export async function writeWorkspaceFiles(cwd: string, files: readonly WorkspaceFile[]): Promise<void> {
  if (files.length === 0) return;
  const uploads = path.resolve(cwd, UPLOADS_DIR);
  await mkdir(uploads, { recursive: true, mode: 0o700 });
  for (const file of files) {
    const target = path.resolve(uploads, file.name);
    if (path.dirname(target) !== uploads) throw new Error(`File name ${JSON.stringify(file.name)} leaves the uploads folder`);
    await writeFile(target, Buffer.from(file.data, "base64"), { mode: 0o600 });
  }
}
