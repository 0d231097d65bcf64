import { DEFAULT_DECISION_TIMEOUT_SEC, type AgentPolicy, type UpdateAgentPolicyRequest } from "@kon/protocol";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import { agentPolicies } from "../db/schema.ts";
import type { Clock } from "../time.ts";

/** Each agent's tool permission policy; an agent nobody configured asks about everything, with the default timeout. */
export class PolicyStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  get(agent: string): AgentPolicy {
    const row = this.db.select().from(agentPolicies).where(eq(agentPolicies.agent, agent)).get();
    if (!row) return { agent, allow: [], deny: [], approvers: [], timeoutSec: DEFAULT_DECISION_TIMEOUT_SEC };
    return { agent, allow: row.allow, deny: row.deny, approvers: row.approvers, timeoutSec: row.timeoutSec };
  }

  update(agent: string, change: UpdateAgentPolicyRequest): AgentPolicy {
    const next = { ...this.get(agent), ...change };
    const values = { allow: next.allow, deny: next.deny, approvers: next.approvers, timeoutSec: next.timeoutSec, updatedAt: this.now() };
    this.db
      .insert(agentPolicies)
      .values({ agent, ...values })
      .onConflictDoUpdate({ target: agentPolicies.agent, set: values })
      .run();
    return next;
  }

  /** The agents whose policy names `username` as an approver. */
  agentsApprovedBy(username: string): string[] {
    return this.db
      .select({ agent: agentPolicies.agent })
      .from(agentPolicies)
      .where(sql`exists (select 1 from json_each(${agentPolicies.approvers}) where value = ${username})`)
      .all()
      .map((row) => row.agent);
  }
}
