import { ApiError, IssueProcessTokenRequest } from "@kon/protocol";
import { Hono } from "hono";
import { readJson } from "../http/body.ts";
import type { Services } from "../services.ts";
import { requireServiceToken } from "./guard.ts";

/** konsole's routes (service token only): issue and revoke per-process tokens. */
export function internalRoutes(s: Services) {
  return new Hono()
    .use("*", requireServiceToken(s.config.serviceToken))
    .post("/process-tokens", async (c) => {
      const request = await readJson(c, IssueProcessTokenRequest, "process token request");
      const user = s.users.findById(request.userId);
      if (!user || user.disabled) throw new ApiError("bad_request", "Unknown or disabled user");
      const issued = s.processTokens.issue(request);
      s.logger.debug({ tokenId: issued.tokenId, sessionId: request.sessionId, processId: request.processId }, "process token issued");
      return c.json(issued, 201);
    })
    .delete("/process-tokens/:tokenId", (c) => {
      s.processTokens.revoke(c.req.param("tokenId"));
      return c.body(null, 204);
    });
}
