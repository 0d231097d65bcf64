// One check for both services: every parser refusal is an ErrorBody with the headers the app
// itself puts on its own errors.

import { API_SECURITY_HEADERS, ErrorBody } from "@kon/protocol";
import { expect } from "vitest";
import { parserRefusalCases, rawRequest } from "./raw-http.ts";

export async function expectParserRefusalsInErrorShape(url: string): Promise<void> {
  // What the app itself answers a request without a token with: the refusals must carry the same.
  const appError = await fetch(`${url}/api/no-such-route`);
  expect(appError.status).toBe(401);
  ErrorBody.parse(await appError.json());
  for (const name of Object.keys(API_SECURITY_HEADERS)) expect(appError.headers.get(name), name).toBe(API_SECURITY_HEADERS[name]);

  for (const refusal of parserRefusalCases) {
    const answer = await rawRequest(url, refusal.request);
    expect(answer.status, refusal.name).toBe(refusal.status);
    expect(answer.headers["content-type"], refusal.name).toBe("application/json");
    expect(answer.headers.connection, refusal.name).toBe("close");
    for (const name of Object.keys(API_SECURITY_HEADERS)) {
      expect(answer.headers[name.toLowerCase()], `${refusal.name}: ${name}`).toBe(appError.headers.get(name));
    }
    const body = ErrorBody.parse(JSON.parse(answer.body));
    expect(body.error.code, refusal.name).toBe(refusal.code);
    expect(Number(answer.headers["content-length"]), refusal.name).toBe(Buffer.byteLength(answer.body));
  }
  // The server is still there for well-formed requests.
  expect((await fetch(`${url}/health`)).status).toBe(200);
}
