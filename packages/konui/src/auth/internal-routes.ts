import { documented, validate } from "@kon/openapi";
import { BindProcessTokenRequest, IssuePoolProcessTokenRequest, IssueProcessTokenRequest, ProcessToken } from "@kon/protocol";
import { Hono } from "hono";
import type { Services } from "../services.ts";
import { checkBindingTarget } from "./binding-target.ts";
import { requireServiceToken } from "./guard.ts";

/** konsole's routes (service token only): issue, bind and revoke per-process tokens. */
export function internalRoutes(s: Services) {
  const tags = ["internal (konsole, service token)"];
  return new Hono()
    .use("*", requireServiceToken(s.config.serviceToken))
    .post(
      "/process-tokens",
      documented({ summary: "Issue a process token bound to a session", tags, ok: { 201: ProcessToken }, errors: [413, 415] }),
      validate("json", IssueProcessTokenRequest, "process token request"),
      async (c) => {
        const request = c.req.valid("json");
        checkBindingTarget(s.users, s.sessions, request);
        const issued = s.processTokens.issue(request);
        s.logger.debug({ tokenId: issued.tokenId, sessionId: request.sessionId, processId: request.processId }, "process token issued");
        return c.json(issued, 201);
      },
    )
    .post(
      "/process-tokens/pool",
      documented({ summary: "Issue an unbound token for a pre-warmed process", tags, ok: { 201: ProcessToken }, errors: [413, 415] }),
      validate("json", IssuePoolProcessTokenRequest, "pool process token request"),
      async (c) => {
        const request = c.req.valid("json");
        const issued = s.processTokens.issuePooled(request);
        s.logger.debug({ tokenId: issued.tokenId, processId: request.processId }, "pool process token issued");
        return c.json(issued, 201);
      },
    )
    .post(
      "/process-tokens/:tokenId/bind",
      documented({ summary: "Bind a pool token to the session that claimed its process, once", tags, ok: { 204: null }, errors: [404, 409, 413, 415] }),
      validate("json", BindProcessTokenRequest, "process token binding"),
      async (c) => {
        const request = c.req.valid("json");
        checkBindingTarget(s.users, s.sessions, request);
        const tokenId = c.req.param("tokenId");
        s.processTokens.bind(tokenId, request);
        s.logger.debug({ tokenId, sessionId: request.sessionId }, "pool process token bound");
        return c.body(null, 204);
      },
    )
    .delete("/process-tokens/:tokenId", documented({ summary: "Revoke a process token (idempotent)", tags, ok: { 204: null } }), (c) => {
      s.processTokens.revoke(c.req.param("tokenId"));
      return c.body(null, 204);
    });
}
