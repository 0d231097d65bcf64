import { documented, validate } from "@kon/openapi";
import { AgentName, AgentPolicy, ApiError, evaluateRules, PolicyDryRunRequest, PolicyVerdict, UpdateAgentPolicyRequest } from "@kon/protocol";
import { Hono, type Context } from "hono";
import { requireAdmin, requireUser } from "../auth/guard.ts";
import { parseWith } from "../http/body.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";

const agentOf = (c: Context<AppEnv>): string => parseWith(AgentName, c.req.param("name"), "agent name");

/** An agent's tool permission policy: everyone signed in reads it, admins change it, anyone may try rules on a call. */
export function policyRoutes(s: Services) {
  const tags = ["policy"];
  return new Hono<AppEnv>()
    .get("/agents/:name/policy", documented({ summary: "An agent's tool permission policy", tags, ok: { 200: AgentPolicy }, errors: [400, 403] }), (c) => {
      requireUser(c);
      return c.json(s.policies.get(agentOf(c)), 200);
    })
    .put(
      "/agents/:name/policy",
      documented({ summary: "Change an agent's policy (admins)", tags, ok: { 200: AgentPolicy }, errors: [403, 413, 415] }),
      validate("json", UpdateAgentPolicyRequest, "policy"),
      (c) => {
        requireAdmin(c);
        const change = c.req.valid("json");
        const unknown = (change.approvers ?? []).filter((username) => !s.users.findByUsername(username));
        if (unknown.length > 0) {
          throw new ApiError("bad_request", `approvers: no user named ${unknown.map((name) => JSON.stringify(name)).join(", ")}`, {
            fields: [{ path: "approvers", message: "unknown user" }],
          });
        }
        return c.json(s.policies.update(agentOf(c), change), 200);
      },
    )
    .post(
      "/agents/:name/policy/dry-run",
      documented({ summary: "What rules (given, or the agent's own) decide for one tool call", tags, ok: { 200: PolicyVerdict }, errors: [403, 413, 415] }),
      validate("json", PolicyDryRunRequest, "dry run"),
      (c) => {
        requireUser(c);
        const request = c.req.valid("json");
        const rules = request.rules ?? s.policies.get(agentOf(c));
        const verdict: PolicyVerdict = evaluateRules(rules, { toolName: request.toolName, input: request.input, cwd: request.cwd });
        return c.json(verdict, 200);
      },
    );
}
