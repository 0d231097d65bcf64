import { AgentQuestion, DecisionAnswerRecord, type Decision } from "@kon/protocol";
import type { decisions } from "../db/schema.ts";
import { iso } from "../time.ts";

export type DecisionRow = typeof decisions.$inferSelect;

/** The questions of an `AskUserQuestion` input, those that fit the schema. */
export function questionsOf(input: Record<string, unknown>): AgentQuestion[] {
  const questions = Array.isArray(input.questions) ? (input.questions as unknown[]) : [];
  return questions.flatMap((value) => {
    const parsed = AgentQuestion.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

export function toDecision(row: DecisionRow): Decision {
  const answer = row.answer ? DecisionAnswerRecord.safeParse(row.answer) : null;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    agent: row.agent,
    sessionId: row.sessionId,
    turnId: row.turnId,
    userId: row.userId,
    toolName: row.toolName,
    toolUseId: row.toolUseId,
    input: row.input,
    questions: row.kind === "question" ? questionsOf(row.input) : [],
    reason: row.reason,
    createdAt: iso(row.createdAt),
    expiresAt: iso(row.expiresAt),
    answeredAt: row.answeredAt === null ? null : iso(row.answeredAt),
    decidedBy: row.decidedBy,
    answeredBy:
      row.decidedBy === "person" && row.answeredByUserId && row.answeredByUsername
        ? { userId: row.answeredByUserId, username: row.answeredByUsername }
        : null,
    answer: answer?.success ? answer.data : null,
  };
}
