// The policy editor's text fields to and from an agent's policy, and a dry run's verdict in words.

import type { AgentPolicy, PolicyVerdict, UpdateAgentPolicyRequest } from "@kon/protocol";

export interface PolicyDraft {
  allow: string;
  deny: string;
  approvers: string;
  timeoutSec: string;
}

export type PolicyField = keyof PolicyDraft;

export const TIMEOUT_MIN = 10;
export const TIMEOUT_MAX = 86_400;

/** One rule a line; blank lines dropped. */
export const ruleLines = (text: string): string[] =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** Usernames separated by commas, spaces or lines. */
export const approverNames = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

export function draftOf(policy: AgentPolicy): PolicyDraft {
  return { allow: policy.allow.join("\n"), deny: policy.deny.join("\n"), approvers: policy.approvers.join(", "), timeoutSec: String(policy.timeoutSec) };
}

export type DraftResult = { ok: true; body: UpdateAgentPolicyRequest } | { ok: false; errors: Partial<Record<PolicyField, string>> };

/** The request body, or what to fix, field by field. */
export function policyFromDraft(draft: PolicyDraft): DraftResult {
  const errors: Partial<Record<PolicyField, string>> = {};
  const timeout = Number(draft.timeoutSec);
  if (draft.timeoutSec.trim() === "" || !Number.isInteger(timeout) || timeout < TIMEOUT_MIN || timeout > TIMEOUT_MAX) {
    errors.timeoutSec = `A whole number of seconds from ${TIMEOUT_MIN} to ${TIMEOUT_MAX}.`;
  }
  const allow = ruleLines(draft.allow);
  const deny = ruleLines(draft.deny);
  for (const [key, rules] of [["allow", allow], ["deny", deny]] as const) {
    if (rules.length > 200) errors[key] = "At most 200 rules.";
    const long = rules.find((r) => r.length > 500);
    if (long) errors[key] = `A rule may be at most 500 characters: “${long.slice(0, 40)}…”.`;
  }
  const approvers = approverNames(draft.approvers);
  if (approvers.length > 100) errors.approvers = "At most 100 approvers.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: { allow, deny, approvers, timeoutSec: timeout } };
}

export function verdictSentence(verdict: PolicyVerdict): string {
  const rule = verdict.rule ? ` by the rule ${verdict.rule}` : "";
  if (verdict.decision === "allow") return `Allowed without asking${rule}.`;
  if (verdict.decision === "deny") return `Denied without asking${rule}.`;
  return "No rule matches: a person would be asked.";
}
