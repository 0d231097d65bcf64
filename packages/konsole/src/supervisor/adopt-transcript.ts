import { constants } from "node:fs";
import { access, copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { ApiError } from "@kon/protocol";

const exists = (file: string): Promise<boolean> =>
  access(file, constants.R_OK).then(
    () => true,
    () => false,
  );

/**
 * Makes sure the CLI konsole runs finds the conversation's transcript at `target` (where
 * `--resume` looks: konsole's config dir, the cwd's project folder). One already there is
 * resumed in place (the CLI appends to it); one elsewhere (a terminal's own config dir) is
 * copied, so the terminal's file stays exactly as it was.
 */
export async function placeTranscript(target: string, candidates: readonly string[]): Promise<"in-place" | "copied"> {
  if (await exists(target)) return "in-place";
  for (const source of candidates) {
    if (source === target || !(await exists(source))) continue;
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await copyFile(source, target, constants.COPYFILE_EXCL);
    return "copied";
  }
  throw new ApiError("not_found", `konsole knows no transcript of conversation ${path.basename(target, ".jsonl")}`);
}
