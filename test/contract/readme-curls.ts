// The curl examples of a README: each one's method and path, with `$VAR` segments kept.

import fs from "node:fs";

export interface CurlExample {
  line: string;
  method: string;
  /** The path after the base variable, without the query: `/api/kontasks/$KONTASK`. */
  path: string;
}

function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.replace(/\s#.*$/, "").trim())
    .filter((line) => !line.startsWith("#"));
}

function methodOf(curl: string): string {
  const explicit = /(?:^|\s)-X\s+([A-Z]+)/.exec(curl)?.[1];
  if (explicit) return explicit;
  return /(?:^|\s)(-d|-F|--data\S*)\s/.test(curl) ? "POST" : "GET";
}

/**
 * Every `curl … $BASE/path` in the README's sh blocks, where `bases` maps each base variable
 * (`$K`) to the path prefix it stands for (`""`, or `/api/agents/claude` for `$A`).
 */
export function curlExamples(readmePath: string, bases: Record<string, string>): CurlExample[] {
  const found: CurlExample[] = [];
  for (const block of shellBlocks(fs.readFileSync(readmePath, "utf8"))) {
    for (const command of commands(block)) {
      for (const curl of command.split(/\$\(|\|/).filter((part) => /(^|\s)curl\s/.test(part))) {
        const url = /["']?\$(\w+)(\/[^\s"'?)]*)?(\?[^\s"')]*)?["']?/g;
        for (const match of curl.matchAll(url)) {
          const prefix = bases[match[1] ?? ""];
          if (prefix === undefined) continue;
          found.push({ line: curl.trim(), method: methodOf(curl), path: `${prefix}${match[2] ?? ""}` || "/" });
        }
      }
    }
  }
  return found;
}
