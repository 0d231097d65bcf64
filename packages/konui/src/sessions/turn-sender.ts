import fs from "node:fs/promises";
import path from "node:path";
import { ApiError, type AgentTurn, type Message, type TurnKind } from "@kon/protocol";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import type { DecisionDesk } from "../decisions/decision-desk.ts";
import { messages } from "../db/schema.ts";
import type { KonsoleApi } from "../konsole/client.ts";
import type { LiveHub } from "../live/hub.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../time.ts";
import { prepareAttachments } from "./attachments.ts";
import type { BudgetBook } from "../budgets/budget-book.ts";
import type { GuardrailStore } from "./guardrails.ts";
import { toMessage, type MessageRow } from "./messages.ts";
import type { PartialReplies } from "./partial-replies.ts";
import { queuedAhead } from "./session-activity.ts";
import type { AgentSessionRow, AgentSessionStore } from "./store.ts";
import type { TurnRecorder } from "./turn-recorder.ts";
import { newUserMessage } from "./user-message.ts";

export interface SendInput {
  text: string;
  kind: TurnKind;
  files: readonly File[];
  /** Overrides the guardrail's cap for this turn (a continuation asks for N more). */
  maxTurns?: number;
}

export interface StartedTurn {
  turnId: string;
  userMessage: Message;
  queuePosition: number;
}

export interface TurnSenderDeps {
  db: Db;
  konsole: KonsoleApi;
  recorder: TurnRecorder;
  partials: PartialReplies;
  guardrails: GuardrailStore;
  budgetBook: BudgetBook;
  decisions: DecisionDesk;
  sessions: AgentSessionStore;
  hub: LiveHub;
  dataDir: string;
  now: Clock;
  logger: Logger;
}

/** What a continued turn tells the agent. */
export function continuationPrompt(maxTurns: number): string {
  return (
    `You ran out of turns before finishing. Carry on with the task from where you stopped: you have ${maxTurns} more ` +
    `turn${maxTurns === 1 ? "" : "s"}. Do not start over.`
  );
}

/** Sends a user message to konsole as a turn and, for synchronous sends, waits for its outcome. */
export class TurnSender {
  /** Cancels of the synchronous sends still waiting, so stopping never hangs on them. */
  private readonly waiting = new Set<(err: ApiError) => void>();

  constructor(private readonly deps: TurnSenderDeps) {}

  /** Ends every wait with 503; the turns themselves still land through the event consumer. */
  close(): void {
    for (const cancel of [...this.waiting]) cancel(new ApiError("unavailable", "konui is stopping; the reply will be stored when it comes"));
  }

  uploadsDir(sessionId: string): string {
    return path.join(this.deps.dataDir, "uploads", sessionId);
  }

  async start(session: AgentSessionRow, input: SendInput): Promise<StartedTurn> {
    const { konsole, guardrails, hub, recorder, now } = this.deps;
    // Refused (402, naming the limit and what it counted) before anything is stored.
    const budget = this.deps.budgetBook.forNextTurn({ sessionId: session.id, userId: session.userId, agent: session.agent });
    const prepared = await prepareAttachments(input.files, this.uploadsDir(session.id));
    const text = [input.text.trim(), ...prepared.notes].filter((part) => part.length > 0).join("\n\n");
    if (text.length === 0 && prepared.images.length === 0) throw new ApiError("bad_request", "The message is empty");

    const limits = guardrails.get(session.agent);
    let row: MessageRow | undefined;
    let accepted;
    try {
      // Read again: the session may have been reset or deleted while the files were checked.
      const current = this.deps.sessions.find(session.id);
      if (!current) throw new ApiError("not_found", "No such session");
      row = newUserMessage(current, text, prepared.attachments, now());
      recorder.addUserMessage(row);
      accepted = await konsole.startTurn(session.id, {
        userId: session.userId,
        text,
        images: prepared.images,
        files: prepared.files,
        maxTurns: input.maxTurns ?? (input.kind === "chat" ? limits.max_turns_chat : limits.max_turns_task),
        executionTimeoutSec: limits.execution_timeout_sec,
        mode: "hot",
        requestId: row.id,
        ...(budget ? { budget } : {}),
        permissions: this.deps.decisions.turnPermissions(session.agent, session.id),
      });
    } catch (err) {
      // konsole never took the turn: the message was not sent, so neither it nor its files are kept.
      if (row) recorder.withdrawUserMessage(row.id);
      await Promise.all(prepared.storedPaths.map((file) => fs.rm(file, { force: true })));
      throw err;
    }
    const turn = accepted.turn;
    this.deps.logger
      .child({ sessionId: session.id, turnId: turn.id })
      .info(
        { kind: input.kind, images: prepared.images.length, files: prepared.files.length, queuePosition: accepted.queuePosition },
        "turn sent to konsole",
      );
    this.deps.sessions.touch(session.id);
    const userMessage = toMessage({ ...row, turnId: turn.id });
    hub.publish({ type: "message", agent: session.agent, sessionId: session.id, message: userMessage }, { userIds: [session.userId] });
    // The queued snapshot ties the message to its turn; the outcome comes from konsole's journal.
    recorder.record(turn);
    return { turnId: turn.id, userMessage, queuePosition: accepted.queuePosition };
  }

  /**
   * Resolves with the assistant message once the journal consumer has recorded the turn's
   * outcome: konsole's journal is the one source of it, so nothing here asks konsole.
   */
  wait(turnId: string, timeoutMs: number): Promise<Message> {
    const { recorder } = this.deps;
    return new Promise<Message>((resolve, reject) => {
      let settled = false;
      const cancel = (err: ApiError) => finish(() => reject(err));
      this.waiting.add(cancel);
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        this.waiting.delete(cancel);
        stopListening();
        clearTimeout(timer);
        outcome();
      };
      const stopListening = recorder.onRecorded(turnId, (message) => finish(() => resolve(message)));
      const timer = setTimeout(
        () => finish(() => reject(new ApiError("timeout", `Turn ${turnId} is still running; its reply will arrive on /api/live`))),
        timeoutMs,
      );
      const already = recorder.assistantMessage(turnId);
      if (already) finish(() => resolve(already));
    });
  }

  /**
   * Resumes the conversation of a turn that failed on its turn limit for `maxTurns` more turns,
   * with a prompt telling the agent to carry on (it lands in the log as the user's message).
   */
  async continueAfterCap(session: AgentSessionRow, turnId: string, maxTurns: number): Promise<StartedTurn> {
    const failed = this.deps.recorder.assistantMessage(turnId);
    if (!failed || failed.sessionId !== session.id) throw new ApiError("not_found", "No such finished turn in this session");
    if (failed.error?.code !== "max_turns") throw new ApiError("conflict", "Only a turn that failed on its turn limit can be continued", { turnId });
    if (!failed.claudeSessionId || failed.claudeSessionId !== session.claudeSessionId) {
      throw new ApiError("conflict", "The session's conversation has moved on since this turn (a reset or a newer turn); send a new message instead", {
        turnId,
      });
    }
    return this.start(session, { text: continuationPrompt(maxTurns), kind: "task", files: [], maxTurns });
  }

  /** The turn as konui knows it, asking konsole for the status of one still running. */
  async describe(session: AgentSessionRow, turnId: string): Promise<AgentTurn> {
    const rows = this.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.sessionId, session.id), eq(messages.turnId, turnId)))
      .all();
    const user = rows.find((r) => r.role === "user");
    if (!user) throw new ApiError("not_found", "No such turn in this session");
    const stored = rows.find((r) => r.role === "assistant");
    const assistant = stored ? toMessage(stored) : undefined;
    // The status as recorded from konsole's journal; the outcome is there once the turn is over.
    const status: AgentTurn["status"] = assistant ? (assistant.status === "failed" ? "failed" : "succeeded") : (user.turnStatus ?? "running");
    return {
      id: turnId,
      sessionId: session.id,
      status,
      userMessage: toMessage(user),
      assistantMessage: assistant ?? null,
      partialText: status === "running" ? this.deps.partials.text(turnId) : "",
      queuePosition: status === "queued" ? queuedAhead(this.deps.db, session.id, user) + 1 : null,
    };
  }
}
