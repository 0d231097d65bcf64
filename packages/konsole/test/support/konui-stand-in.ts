// A small stand-in for konui's process-token endpoints that records what konsole asks for.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BindProcessTokenRequest, IssuePoolProcessTokenRequest, IssueProcessTokenRequest, type ProcessToken } from "@kon/protocol";

export interface IssuedToken {
  /** For a pool token, `sessionId` and `userId` arrive with its binding. */
  request: { processId: string; ttlSec?: number | undefined; sessionId?: string; userId?: string };
  pooled: boolean;
  token: ProcessToken;
  revokedAt: number | null;
}

export interface KonuiStandIn {
  url: string;
  issued: IssuedToken[];
  /** Authorization headers of every request, to check the service token. */
  authorizations: string[];
  /** `X-Request-Id` of every request ("" when it had none). */
  requestIds: string[];
  stop(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** `maxTtlSec` caps token lifetimes like konui's KONUI_PROCESS_TOKEN_TTL_SEC. */
export async function startKonuiStandIn(serviceToken: string, maxTtlSec = 3_600): Promise<KonuiStandIn> {
  const issued: IssuedToken[] = [];
  const authorizations: string[] = [];
  const requestIds: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      authorizations.push(req.headers.authorization ?? "");
      requestIds.push(String(req.headers["x-request-id"] ?? ""));
      if (req.headers.authorization !== `Bearer ${serviceToken}`) return send(res, 401, { error: { code: "unauthorized", message: "bad token" } });
      const url = new URL(req.url ?? "/", "http://konui");
      const pooled = url.pathname === "/internal/process-tokens/pool";
      if (req.method === "POST" && (pooled || url.pathname === "/internal/process-tokens")) {
        const request = (pooled ? IssuePoolProcessTokenRequest : IssueProcessTokenRequest).safeParse(await readJson(req));
        if (!request.success) return send(res, 400, { error: { code: "bad_request", message: request.error.message } });
        const token: ProcessToken = {
          tokenId: randomUUID(),
          token: `kpt_${randomUUID().replaceAll("-", "")}`,
          expiresAt: new Date(Date.now() + Math.min(request.data.ttlSec ?? 3600, maxTtlSec) * 1000).toISOString(),
          scopes: ["kontasks:write", "sessions:read:own"],
        };
        issued.push({ request: { ...request.data }, pooled, token, revokedAt: null });
        return send(res, 201, token);
      }
      const bind = /^\/internal\/process-tokens\/([^/]+)\/bind$/.exec(url.pathname);
      if (req.method === "POST" && bind) {
        const request = BindProcessTokenRequest.safeParse(await readJson(req));
        if (!request.success) return send(res, 400, { error: { code: "bad_request", message: request.error.message } });
        const record = issued.find((entry) => entry.token.tokenId === decodeURIComponent(bind[1] ?? ""));
        if (!record || record.revokedAt !== null) return send(res, 404, { error: { code: "not_found", message: "no such token" } });
        if (!record.pooled || record.request.sessionId !== undefined) {
          return send(res, 409, { error: { code: "conflict", message: "token is already bound" } });
        }
        Object.assign(record.request, request.data);
        res.writeHead(204).end();
        return;
      }
      const revoke = /^\/internal\/process-tokens\/([^/]+)$/.exec(url.pathname);
      if (req.method === "DELETE" && revoke) {
        const record = issued.find((entry) => entry.token.tokenId === decodeURIComponent(revoke[1] ?? ""));
        if (!record) return send(res, 404, { error: { code: "not_found", message: "no such token" } });
        record.revokedAt = Date.now();
        res.writeHead(204).end();
        return;
      }
      send(res, 404, { error: { code: "not_found", message: "no route" } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    issued,
    authorizations,
    requestIds,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
