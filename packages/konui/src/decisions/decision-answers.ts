import {
  allowRulesOf,
  alwaysAllowRule,
  ApiError,
  PermissionUpdate,
  type AnswerDecisionRequest,
  type DecisionAnswerRecord,
  type PermissionAnswer,
} from "@kon/protocol";
import type { z } from "zod";
import { questionsOf, type DecisionRow } from "./decision-row.ts";

export interface PreparedAnswer {
  /** What konsole writes to the waiting process. */
  konsole: PermissionAnswer;
  record: DecisionAnswerRecord;
  status: "allowed" | "denied";
  /** Allow rules "always allow" adds to the session. */
  grantedRules: string[];
}

type Request = z.output<typeof AnswerDecisionRequest>;

/**
 * "Always allow this for this session": the CLI's own suggested rules, kept to the session
 * (it suggests writing them to the project's settings), or the call's tool and command.
 */
export function sessionPermissionUpdates(row: Pick<DecisionRow, "suggestions" | "toolName" | "input">): PermissionUpdate[] {
  const suggested = row.suggestions.flatMap((value) => {
    const parsed = PermissionUpdate.safeParse(value);
    return parsed.success && parsed.data.type === "addRules" && parsed.data.behavior === "allow" ? [{ ...parsed.data, destination: "session" }] : [];
  });
  if (suggested.length > 0) return suggested;
  return [{ type: "addRules", rules: [alwaysAllowRule(row.toolName, row.input)], behavior: "allow", destination: "session" }];
}

const emptyRecord = { message: null, updatedInput: null, alwaysAllow: false, answers: null, rule: null };

/** Checks a person's answer against the decision's kind and turns it into konsole's answer and the stored record. */
export function prepareAnswer(row: DecisionRow, request: Request): PreparedAnswer {
  if (request.behavior === "deny") {
    return {
      konsole: { behavior: "deny", message: request.message },
      record: { ...emptyRecord, behavior: "deny", message: request.message },
      status: "denied",
      grantedRules: [],
    };
  }
  if (row.kind === "question") {
    if (request.behavior !== "answer") throw new ApiError("bad_request", "A question is answered with behavior \"answer\" (or denied)");
    const asked = questionsOf(row.input).map((question) => question.question);
    const unknown = Object.keys(request.answers).filter((question) => !asked.includes(question));
    const missing = asked.filter((question) => request.answers[question] === undefined);
    if (unknown.length > 0 || missing.length > 0) {
      throw new ApiError("bad_request", "answers must answer each question of the decision, by its text", { unknown, missing });
    }
    return {
      konsole: { behavior: "allow", updatedInput: { ...row.input, answers: request.answers } },
      record: { ...emptyRecord, behavior: "allow", answers: request.answers },
      status: "allowed",
      grantedRules: [],
    };
  }
  if (request.behavior !== "allow") throw new ApiError("bad_request", "A tool call is answered with behavior \"allow\" or \"deny\"");
  const updates = request.alwaysAllow ? sessionPermissionUpdates(row) : undefined;
  return {
    konsole: { behavior: "allow", ...(request.updatedInput ? { updatedInput: request.updatedInput } : {}), ...(updates ? { updatedPermissions: updates } : {}) },
    record: { ...emptyRecord, behavior: "allow", updatedInput: request.updatedInput ?? null, alwaysAllow: request.alwaysAllow },
    status: "allowed",
    grantedRules: updates ? allowRulesOf(updates) : [],
  };
}
