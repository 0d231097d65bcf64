import { randomUUID } from "node:crypto";
import { ApiError, type AnswerDecisionRequest, type Decision, type JournalEntry, type PermissionRequest, type Turn } from "@kon/protocol";
import type { z } from "zod";
import type { UserRow, UserStore } from "../auth/users.ts";
import type { Db, Tx } from "../db/open.ts";
import type { KonsoleApi } from "../konsole/client.ts";
import type { Audience, LiveHub } from "../live/hub.ts";
import type { Logger } from "../logger.ts";
import type { AgentSessionStore } from "../sessions/store.ts";
import type { Clock } from "../time.ts";
import { prepareAnswer } from "./decision-answers.ts";
import { toDecision, type DecisionRow } from "./decision-row.ts";
import type { DecisionStore, DecisionViewer, SettledPatch } from "./decision-store.ts";
import { ExpiryTimers } from "./expiry-timers.ts";
import type { PolicyStore } from "./policy-store.ts";

export interface DecisionDeskDeps {
  db: Db;
  store: DecisionStore;
  policies: PolicyStore;
  sessions: AgentSessionStore;
  users: UserStore;
  konsole: KonsoleApi;
  hub: LiveHub;
  now: Clock;
  logger: Logger;
}

function deniedByPolicyMessage(rule: string | null, toolName: string): string {
  return rule ? `Denied by this agent's policy (${rule}).` : `${toolName} is not allowed for this agent.`;
}

/** Why a decision still waiting when its turn ended was cancelled. */
function endedTurnMessage(turn: Pick<Turn, "error"> | undefined): string {
  if (turn?.error?.code === "supervisor_restarted") return "konsole restarted while this request waited; its turn failed.";
  if (turn?.error) return `The turn ended before anyone answered (${turn.error.code}: ${turn.error.message}).`;
  return "The turn ended before anyone answered.";
}

/**
 * Decisions from asking to settling: records the CLI's permission requests konsole journals,
 * lets the people who may answer do so exactly once, expires what nobody answered, cancels
 * what its ended turn left waiting, and tells every device of those people as it happens.
 */
export class DecisionDesk {
  private readonly timers: ExpiryTimers;

  constructor(private readonly deps: DecisionDeskDeps) {
    this.timers = new ExpiryTimers(deps.now);
  }

  /** Cancels what ended turns left pending, expires what is overdue and schedules the rest (after a restart too). */
  start(): void {
    for (const turnId of this.deps.store.endedTurnsWithPending()) this.cancelTurn(turnId, undefined);
    for (const row of this.deps.store.pending()) this.timers.schedule(row.id, row.expiresAt, (id) => void this.expire(id));
  }

  stop(): void {
    this.timers.clear();
  }

  /** A `permission` journal entry: the decision it asks for (or the policy already made), stored with the consumer's cursor. */
  record(entry: JournalEntry, request: PermissionRequest, alsoInTransaction: (tx: Tx) => void): void {
    const session = this.deps.sessions.find(entry.sessionId);
    const row = session ? this.newRow(entry, request, session) : undefined;
    const created = this.deps.db.transaction((tx) => {
      const inserted = row ? this.deps.store.insert(tx, row) : undefined;
      alsoInTransaction(tx);
      return inserted;
    });
    if (!created) return;
    this.publish("created", created);
    if (created.status === "pending") this.timers.schedule(created.id, created.expiresAt, (id) => void this.expire(id));
  }

  /** A turn's new state: once it has ended nothing of it may wait any more. */
  turnChanged(turn: Turn): void {
    if (turn.status === "succeeded" || turn.status === "failed") this.cancelTurn(turn.id, turn);
  }

  find(user: UserRow, id: string): Decision {
    return toDecision(this.visibleRow(user, id));
  }

  viewerOf(user: UserRow): DecisionViewer {
    return user.role === "admin" ? { kind: "admin" } : { kind: "user", userId: user.id, approverOf: this.deps.policies.agentsApprovedBy(user.username) };
  }

  /** Allow rules for a turn of this session: the agent's, and what "always allow" granted in it. */
  turnPermissions(agent: string, sessionId: string) {
    const policy = this.deps.policies.get(agent);
    return { allow: [...policy.allow, ...this.deps.store.sessionRules(sessionId)], deny: policy.deny, ask: true };
  }

  /** A person's answer: the first one wins; a later one gets 409 with the decision as it stands. */
  async answer(user: UserRow, id: string, request: z.output<typeof AnswerDecisionRequest>): Promise<Decision> {
    const row = this.visibleRow(user, id);
    if (row.status !== "pending") throw this.alreadySettled(row);
    const prepared = prepareAnswer(row, request);
    const settled = this.deps.store.settle(id, {
      status: prepared.status,
      decidedBy: "person",
      answeredAt: this.deps.now(),
      answer: prepared.record,
      answeredByUserId: user.id,
      answeredByUsername: user.username,
      grantedRules: prepared.grantedRules,
    });
    if (!settled) throw this.alreadySettled(this.deps.store.find(id) ?? row);
    this.timers.cancel(id);
    try {
      await this.deps.konsole.answerPermission(row.turnId, row.requestId, prepared.konsole);
    } catch (err) {
      if (err instanceof ApiError && err.code === "not_found") {
        const cancelled = this.cancelOne(settled, "The turn was no longer waiting for this answer (it had ended).");
        throw this.alreadySettled(cancelled);
      }
      // konsole could not be reached: the answer did not land, so the decision waits again.
      const reopened = this.deps.store.reopen(settled);
      if (reopened) this.timers.schedule(reopened.id, reopened.expiresAt, (rid) => void this.expire(rid));
      throw err;
    }
    this.publish("updated", settled);
    return toDecision(settled);
  }

  /** Nobody answered in time: denied, and the agent is told so. */
  async expire(id: string): Promise<void> {
    const row = this.deps.store.find(id);
    if (!row || row.status !== "pending") return;
    const timeoutSec = Math.round((row.expiresAt - row.createdAt) / 1000);
    const message = `Nobody answered this request within ${timeoutSec} seconds, so it was denied automatically.`;
    const settled = this.deps.store.settle(id, {
      status: "expired",
      decidedBy: "timeout",
      answeredAt: this.deps.now(),
      answer: { behavior: "deny", message, updatedInput: null, alwaysAllow: false, answers: null, rule: null },
    });
    if (!settled) return;
    this.publish("updated", settled);
    try {
      await this.deps.konsole.answerPermission(row.turnId, row.requestId, { behavior: "deny", message });
    } catch (err) {
      // A turn that has ended needs no answer; one konsole cannot be told about ends with its execution timeout.
      this.deps.logger.warn({ err, decisionId: id, turnId: row.turnId }, "could not tell konsole a decision expired");
    }
  }

  private cancelTurn(turnId: string, turn: Turn | undefined): void {
    const patch: SettledPatch = {
      status: "cancelled",
      decidedBy: "system",
      answeredAt: this.deps.now(),
      answer: { behavior: "deny", message: endedTurnMessage(turn), updatedInput: null, alwaysAllow: false, answers: null, rule: null },
    };
    for (const row of this.deps.store.cancelTurn(turnId, patch)) {
      this.timers.cancel(row.id);
      this.publish("updated", row);
    }
  }

  private cancelOne(row: DecisionRow, message: string): DecisionRow {
    const cancelled = this.deps.store.replace(row, {
      status: "cancelled",
      decidedBy: "system",
      answeredByUserId: null,
      answeredByUsername: null,
      grantedRules: [],
      answer: { behavior: "deny", message, updatedInput: null, alwaysAllow: false, answers: null, rule: null },
    });
    const current = cancelled ?? this.deps.store.find(row.id) ?? row;
    this.publish("updated", current);
    return current;
  }

  private newRow(entry: JournalEntry, request: PermissionRequest, session: { agent: string; userId: string }): DecisionRow {
    const at = this.deps.now();
    const { verdict } = request;
    const decided = verdict.decision !== "ask";
    const timeoutSec = this.deps.policies.get(session.agent).timeoutSec;
    return {
      id: randomUUID(),
      kind: request.toolName === "AskUserQuestion" ? "question" : "tool",
      status: verdict.decision === "allow" ? "allowed" : verdict.decision === "deny" ? "denied" : "pending",
      agent: session.agent,
      sessionId: entry.sessionId,
      turnId: entry.turnId,
      userId: session.userId,
      requestId: request.requestId,
      toolName: request.toolName,
      toolUseId: request.toolUseId,
      input: request.input,
      suggestions: request.suggestions,
      reason: request.reason,
      createdAt: at,
      expiresAt: decided ? at : at + timeoutSec * 1000,
      answeredAt: decided ? at : null,
      decidedBy: decided ? "policy" : null,
      answeredByUserId: null,
      answeredByUsername: null,
      answer: decided
        ? {
            behavior: verdict.decision === "allow" ? "allow" : "deny",
            message: verdict.decision === "deny" ? deniedByPolicyMessage(verdict.rule, request.toolName) : null,
            updatedInput: null,
            alwaysAllow: false,
            answers: null,
            rule: verdict.rule,
          }
        : null,
      grantedRules: [],
    };
  }

  /** The decision, when `user` may see and answer it; else 404 (another user's decisions do not exist for them). */
  private visibleRow(user: UserRow, id: string): DecisionRow {
    const row = this.deps.store.find(id);
    if (!row || !this.mayAnswer(user, row)) throw new ApiError("not_found", "No such decision");
    return row;
  }

  private mayAnswer(user: UserRow, row: DecisionRow): boolean {
    return user.role === "admin" || user.id === row.userId || this.deps.policies.get(row.agent).approvers.includes(user.username);
  }

  private alreadySettled(row: DecisionRow): ApiError {
    return new ApiError("conflict", `This decision was already settled (${row.status})`, { decision: toDecision(row) });
  }

  private audienceOf(row: DecisionRow): Audience {
    const approverIds = this.deps.policies
      .get(row.agent)
      .approvers.flatMap((username) => {
        const user = this.deps.users.findByUsername(username);
        return user ? [user.id] : [];
      });
    return { userIds: [row.userId, ...approverIds] };
  }

  private publish(action: "created" | "updated", row: DecisionRow): void {
    this.deps.hub.publish({ type: "decision", action, decision: toDecision(row) }, this.audienceOf(row));
  }
}
