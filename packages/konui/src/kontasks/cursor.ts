import { ApiError } from "@kon/protocol";

export interface KontaskCursor {
  createdAt: number;
  id: string;
}

export const encodeCursor = (row: KontaskCursor): string =>
  Buffer.from(`${row.createdAt}:${row.id}`).toString("base64url");

export function decodeCursor(cursor: string): KontaskCursor {
  const match = /^(\d+):(.+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1] || !match[2]) throw new ApiError("bad_request", "Invalid cursor: pass the nextCursor of the previous page");
  return { createdAt: Number(match[1]), id: match[2] };
}
