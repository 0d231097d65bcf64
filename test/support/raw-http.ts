// Raw bytes over a real socket, for what no HTTP client will send: oversized request lines and
// headers, and requests that are not HTTP at all.

import { connect } from "node:net";

export interface RawAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as it is and reads until the server closes the connection. */
export function rawRequest(url: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // The server may close while the oversized request is still being written: keep what came back.
    socket.on("error", (err: NodeJS.ErrnoException) => (err.code === "EPIPE" || err.code === "ECONNRESET" ? undefined : reject(err)));
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const parsed = parseAnswer(text);
      if (parsed) resolve(parsed);
      else reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
    });
    socket.end(request);
  });
}

function parseAnswer(text: string): RawAnswer | undefined {
  const split = text.indexOf("\r\n\r\n");
  if (split < 0) return undefined;
  const [statusLine = "", ...headerLines] = text.slice(0, split).split("\r\n");
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(status), headers, body: text.slice(split + 4) };
}

const big = "a".repeat(20 * 1024);

/** Requests Node's HTTP parser refuses, with the status each must get. */
export const parserRefusalCases = [
  { name: "a 20 KB URL", status: 431, code: "headers_too_large", request: `GET /${big} HTTP/1.1\r\nHost: x\r\n\r\n` },
  { name: "a 20 KB header", status: 431, code: "headers_too_large", request: `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n` },
  {
    name: "400 small headers adding up to 20 KB",
    status: 431,
    code: "headers_too_large",
    request: `GET /health HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 400 }, (_, i) => `X-H${i}: ${"b".repeat(48)}\r\n`).join("")}\r\n`,
  },
  { name: "a request line that is not HTTP", status: 400, code: "bad_request", request: "HELLO THERE\r\n\r\n" },
  { name: "a header line without a colon", status: 400, code: "bad_request", request: "GET /health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n" },
  { name: "a Content-Length that is not a number", status: 400, code: "bad_request", request: "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n" },
  { name: "a space inside the URL", status: 400, code: "bad_request", request: "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n" },
] as const;
