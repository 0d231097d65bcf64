// What Node's HTTP parser refuses before either app sees the request (an oversized URL or header,
// a request line that is not HTTP): answered in the one error shape with the apps' own headers.
// No node: imports here, the dashboard bundles this package too.

import { statusOfErrorCode, type ErrorBody, type ErrorCode } from "./errors.ts";

/** Every JSON answer of both services carries these: nothing in one is ever sniffed, rendered or framed. */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
};

const refusals: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { code: "headers_too_large", message: "The request's URL and headers are larger than this server accepts" },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { code: "payload_too_large", message: "The request's chunk extensions are larger than this server accepts" },
  ERR_HTTP_REQUEST_TIMEOUT: { code: "request_timeout", message: "The request did not arrive in time" },
};
const malformed = { code: "bad_request", message: "The request is not valid HTTP/1.1" } as const;

const reasons: Partial<Record<number, string>> = {
  400: "Bad Request",
  408: "Request Timeout",
  413: "Payload Too Large",
  431: "Request Header Fields Too Large",
};

/** The status and body for a parser error code (`err.code` of the server's `clientError`). */
export function parserRefusal(errorCode: string | undefined): { status: number; body: ErrorBody } {
  const { code, message } = (errorCode && refusals[errorCode]) || malformed;
  return { status: statusOfErrorCode[code], body: { error: { code, message } } };
}

/** The whole HTTP/1.1 answer, written straight to the socket: the connection is closed after it. */
export function parserRefusalResponse(errorCode: string | undefined, headers: Readonly<Record<string, string>>): string {
  const { status, body } = parserRefusal(errorCode);
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${reasons[status] ?? "Error"}`,
    "Content-Type: application/json",
    `Content-Length: ${new TextEncoder().encode(text).length}`,
    "Connection: close",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n${text}`;
}

interface ClientSocket {
  readonly writable: boolean;
  /** The response in flight on this connection, if any (Node's `ServerResponse`). */
  readonly _httpMessage?: { readonly headersSent?: boolean } | null;
  end(data: string): unknown;
  destroy(): unknown;
}

/**
 * A listener for the server's `clientError` event. Like Node's own, it never writes into a
 * response already under way, and it drops connections the peer already reset.
 */
export function answerParserRefusals(headers: Readonly<Record<string, string>>) {
  return (err: Error & { code?: string }, socket: ClientSocket): void => {
    if (err.code === "ECONNRESET" || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(parserRefusalResponse(err.code, headers));
  };
}
