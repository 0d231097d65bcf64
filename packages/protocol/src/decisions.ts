import { z } from "zod";
import { SessionId, TurnId } from "./konsole.ts";
import { PermissionRule } from "./permissions.ts";

// Decisions: every question an agent asks a person (a tool approval, an AskUserQuestion) is a
// durable record in konui that anyone who may act on the session can answer, exactly once.

export const DecisionKind = z.enum(["tool", "question"]);
export type DecisionKind = z.infer<typeof DecisionKind>;

export const DecisionStatus = z.enum(["pending", "allowed", "denied", "expired", "cancelled"]);
export type DecisionStatus = z.infer<typeof DecisionStatus>;

/** Who settled it: a person, the agent's policy, the timeout, or the system (turn ended, konsole restarted). */
export const DecidedBy = z.enum(["person", "policy", "timeout", "system"]);
export type DecidedBy = z.infer<typeof DecidedBy>;

/** One question of an `AskUserQuestion` call, as the CLI's tool input carries it. */
export const AgentQuestion = z.looseObject({
  question: z.string(),
  header: z.string().optional(),
  multiSelect: z.boolean().optional(),
  options: z.array(z.looseObject({ label: z.string(), description: z.string().optional() })).default([]),
});
export type AgentQuestion = z.infer<typeof AgentQuestion>;

export const DecisionAnswerRecord = z.object({
  behavior: z.enum(["allow", "deny"]),
  /** What the agent is told on a deny. */
  message: z.string().nullable(),
  /** The input the tool ran with when a person edited it; null = as asked. */
  updatedInput: z.record(z.string(), z.unknown()).nullable(),
  /** "Always allow this for this session" was given (the CLI's `updatedPermissions`). */
  alwaysAllow: z.boolean(),
  /** The answers to an agent question, by question text. */
  answers: z.record(z.string(), z.string()).nullable(),
  /** The policy rule that decided it, when the policy did. */
  rule: z.string().nullable(),
});
export type DecisionAnswerRecord = z.infer<typeof DecisionAnswerRecord>;

export const Decision = z.object({
  id: z.string(),
  kind: DecisionKind,
  status: DecisionStatus,
  agent: z.string(),
  sessionId: SessionId,
  turnId: TurnId,
  /** The session's owner. */
  userId: z.string(),
  toolName: z.string(),
  toolUseId: z.string().nullable(),
  /** The tool input exactly as the agent asked (a Bash command, an Edit's old/new strings…). */
  input: z.record(z.string(), z.unknown()),
  /** Filled for `question`: the questions with their options. */
  questions: z.array(AgentQuestion),
  /** Why the CLI asked, when it said. */
  reason: z.string().nullable(),
  createdAt: z.string(),
  /** When an unanswered decision is denied as expired. */
  expiresAt: z.string(),
  answeredAt: z.string().nullable(),
  decidedBy: DecidedBy.nullable(),
  /** The person who answered (null unless decidedBy is person). */
  answeredBy: z.object({ userId: z.string(), username: z.string() }).nullable(),
  answer: DecisionAnswerRecord.nullable(),
});
export type Decision = z.infer<typeof Decision>;

/** `POST /api/decisions/:id/answer`. A second answer to a settled decision is a 409 whose details hold the decision. */
export const AnswerDecisionRequest = z.discriminatedUnion("behavior", [
  z.object({
    behavior: z.literal("allow"),
    updatedInput: z.record(z.string(), z.unknown()).optional(),
    alwaysAllow: z.boolean().default(false),
  }),
  z.object({ behavior: z.literal("deny"), message: z.string().trim().min(1).max(2000) }),
  /** For a `question`: one answer per question text (an option label, or free text). */
  z.object({ behavior: z.literal("answer"), answers: z.record(z.string(), z.string().min(1).max(10_000)) }),
]);
export type AnswerDecisionRequest = z.input<typeof AnswerDecisionRequest>;

export const DecisionListQuery = z.object({
  status: DecisionStatus.optional(),
  agent: z.string().optional(),
  sessionId: SessionId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});
export type DecisionListQuery = z.infer<typeof DecisionListQuery>;

export const DecisionPage = z.object({ decisions: z.array(Decision), nextCursor: z.string().nullable() });
export type DecisionPage = z.infer<typeof DecisionPage>;

// ---- policy ----

export const AgentPolicy = z.object({
  agent: z.string(),
  allow: z.array(PermissionRule).max(200),
  deny: z.array(PermissionRule).max(200),
  /** Usernames who may answer this agent's decisions besides the session owner and admins. */
  approvers: z.array(z.string()).max(100),
  /** Seconds an unanswered decision waits before it is denied as expired. */
  timeoutSec: z.number().int().min(10).max(86_400),
});
export type AgentPolicy = z.infer<typeof AgentPolicy>;

export const DEFAULT_DECISION_TIMEOUT_SEC = 600;

/** `PUT /api/agents/:name/policy` (admins). */
export const UpdateAgentPolicyRequest = AgentPolicy.omit({ agent: true })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateAgentPolicyRequest = z.infer<typeof UpdateAgentPolicyRequest>;

/** `POST /api/agents/:name/policy/dry-run`: what the rules (given, or the agent's own) decide for one call. */
export const PolicyDryRunRequest = z.object({
  toolName: z.string().min(1),
  input: z.record(z.string(), z.unknown()).default({}),
  rules: z.object({ allow: z.array(PermissionRule), deny: z.array(PermissionRule) }).optional(),
  /** The working directory relative path rules (`Edit(src/**)`) are read against. */
  cwd: z.string().optional(),
});
export type PolicyDryRunRequest = z.input<typeof PolicyDryRunRequest>;
