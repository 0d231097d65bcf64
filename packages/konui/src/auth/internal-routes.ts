import { BindProcessTokenRequest, IssuePoolProcessTokenRequest, IssueProcessTokenRequest } from "@kon/protocol";
import { Hono } from "hono";
import { readJson } from "../http/body.ts";
import type { Services } from "../services.ts";
import { checkBindingTarget } from "./binding-target.ts";
import { requireServiceToken } from "./guard.ts";

/** konsole's routes (service token only): issue, bind and revoke per-process tokens. */
export function internalRoutes(s: Services) {
  return new Hono()
    .use("*", requireServiceToken(s.config.serviceToken))
    .post("/process-tokens", async (c) => {
      const request = await readJson(c, IssueProcessTokenRequest, "process token request");
      checkBindingTarget(s.users, s.sessions, request);
      const issued = s.processTokens.issue(request);
      s.logger.debug({ tokenId: issued.tokenId, sessionId: request.sessionId, processId: request.processId }, "process token issued");
      return c.json(issued, 201);
    })
    .post("/process-tokens/pool", async (c) => {
      const request = await readJson(c, IssuePoolProcessTokenRequest, "pool process token request");
      const issued = s.processTokens.issuePooled(request);
      s.logger.debug({ tokenId: issued.tokenId, processId: request.processId }, "pool process token issued");
      return c.json(issued, 201);
    })
    .post("/process-tokens/:tokenId/bind", async (c) => {
      const request = await readJson(c, BindProcessTokenRequest, "process token binding");
      checkBindingTarget(s.users, s.sessions, request);
      const tokenId = c.req.param("tokenId");
      s.processTokens.bind(tokenId, request);
      s.logger.debug({ tokenId, sessionId: request.sessionId }, "pool process token bound");
      return c.body(null, 204);
    })
    .delete("/process-tokens/:tokenId", (c) => {
      s.processTokens.revoke(c.req.param("tokenId"));
      return c.body(null, 204);
    });
}
