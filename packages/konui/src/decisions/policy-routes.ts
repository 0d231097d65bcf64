import { AgentName, ApiError, evaluateRules, PolicyDryRunRequest, UpdateAgentPolicyRequest, type PolicyVerdict } from "@kon/protocol";
import { Hono, type Context } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import { parseWith, readJson } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

const agentOf = (c: Context<AppEnv>): string => parseWith(AgentName, c.req.param("name"), "agent name");

/** An agent's tool permission policy: everyone signed in reads it, admins change it, anyone may try rules on a call. */
export function policyRoutes(s: Services) {
  return new Hono<AppEnv>()
    .get("/agents/:name/policy", (c) => {
      requireUser(c);
      return c.json(s.policies.get(agentOf(c)), 200);
    })
    .put("/agents/:name/policy", async (c) => {
      requireAdmin(c);
      const change = await readJson(c, UpdateAgentPolicyRequest, "policy");
      const unknown = (change.approvers ?? []).filter((username) => !s.users.findByUsername(username));
      if (unknown.length > 0) {
        throw new ApiError("bad_request", `approvers: no user named ${unknown.map((name) => JSON.stringify(name)).join(", ")}`, {
          fields: [{ path: "approvers", message: "unknown user" }],
        });
      }
      return c.json(s.policies.update(agentOf(c), change), 200);
    })
    .post("/agents/:name/policy/dry-run", async (c) => {
      requireUser(c);
      const request = await readJson(c, PolicyDryRunRequest, "dry run");
      const rules = request.rules ?? s.policies.get(agentOf(c));
      const verdict: PolicyVerdict = evaluateRules(rules, { toolName: request.toolName, input: request.input, cwd: request.cwd });
      return c.json(verdict, 200);
    });
}
