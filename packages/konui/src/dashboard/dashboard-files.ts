import fs from "node:fs/promises";
import path from "node:path";

export type DashboardFile = { kind: "file"; path: string } | { kind: "none" };

/**
 * Maps a request path to a regular file inside the built dashboard, or to nothing: encoded
 * separators, dot segments and hidden names never resolve, so nothing outside `root` is served.
 */
export async function findDashboardFile(root: string, requestPath: string): Promise<DashboardFile> {
  const segments = requestPath.split("/").filter((segment) => segment !== "");
  const names: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return { kind: "none" };
    }
    if (name.startsWith(".") || /[/\\\0]/.test(name)) return { kind: "none" };
    names.push(name);
  }
  if (names.length === 0) return { kind: "none" };
  const file = path.join(root, ...names);
  if (!file.startsWith(root + path.sep)) return { kind: "none" };
  const stat = await fs.stat(file).catch(() => undefined);
  return stat?.isFile() ? { kind: "file", path: file } : { kind: "none" };
}

/** index.html of the build, or undefined when there is no build. */
export async function readIndexHtml(root: string): Promise<Buffer | undefined> {
  return fs.readFile(path.join(root, "index.html")).catch(() => undefined);
}
