import type { AgentSession, AgentTurn, Decision, Message, MessagePage, ToolCall, TurnStatus } from "@kon/protocol";
import { putDecisions, type DecisionsByTurn } from "./decisions.ts";

/** The turn queued or running in the open session, with the reply as streamed so far. */
export interface ActiveTurn {
  turnId: string;
  status: "queued" | "running";
  partialText: string;
  queuePosition: number | null;
}

/** The open session's log: the newest pages loaded so far, tool calls by turn, and the active turn. */
export interface SessionLog {
  agent: string;
  sessionId: string;
  session: AgentSession | null;
  messages: Message[];
  /** Tool calls by turn id, in the order they started. */
  toolCalls: Record<string, ToolCall[]>;
  /** Tool approvals and agent questions by the turn that asked. */
  decisions: DecisionsByTurn;
  olderCursor: string | null;
  active: ActiveTurn | null;
}

function byCreatedAt(a: { createdAt: string }, b: { createdAt: string }): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

function groupToolCalls(into: Record<string, ToolCall[]>, calls: readonly ToolCall[]): Record<string, ToolCall[]> {
  let result = into;
  for (const call of calls) result = putToolCall(result, call);
  return result;
}

function putToolCall(calls: Record<string, ToolCall[]>, call: ToolCall): Record<string, ToolCall[]> {
  const list = calls[call.turnId] ?? [];
  const index = list.findIndex((c) => c.id === call.id);
  const next = index === -1 ? [...list, call].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0)) : list.with(index, call);
  return { ...calls, [call.turnId]: next };
}

export function emptyLog(agent: string, sessionId: string): SessionLog {
  return { agent, sessionId, session: null, messages: [], toolCalls: {}, decisions: {}, olderCursor: null, active: null };
}

/** The newest page, merged into what is already shown (a re-read after a reconnect keeps older pages). */
export function applyNewestPage(log: SessionLog, page: MessagePage): SessionLog {
  let next: SessionLog = { ...log, toolCalls: groupToolCalls(log.toolCalls, page.toolCalls) };
  if (log.messages.length === 0) next = { ...next, messages: page.messages, olderCursor: page.olderCursor };
  else for (const message of page.messages) next = upsertMessage(next, message);
  return next;
}

export function applyOlderPage(log: SessionLog, page: MessagePage): SessionLog {
  const known = new Set(log.messages.map((m) => m.id));
  const older = page.messages.filter((m) => !known.has(m.id));
  return {
    ...log,
    messages: [...older, ...log.messages],
    toolCalls: groupToolCalls(log.toolCalls, page.toolCalls),
    olderCursor: page.olderCursor,
  };
}

export function upsertMessage(log: SessionLog, message: Message): SessionLog {
  const index = log.messages.findIndex((m) => m.id === message.id);
  let messages: Message[];
  if (index !== -1) messages = log.messages.with(index, message);
  else {
    messages = [...log.messages, message];
    const prev = log.messages[log.messages.length - 1];
    if (prev && byCreatedAt(prev, message) > 0) messages.sort(byCreatedAt);
  }
  const landed = message.role === "assistant" && log.active !== null && message.turnId === log.active.turnId;
  return { ...log, messages, active: landed ? null : log.active };
}

export function upsertToolCall(log: SessionLog, call: ToolCall): SessionLog {
  return { ...log, toolCalls: putToolCall(log.toolCalls, call) };
}

export function hasReply(log: SessionLog, turnId: string): boolean {
  return log.messages.some((m) => m.role === "assistant" && m.turnId === turnId);
}

/** A turn was accepted (by this page or another): it becomes the active one unless its reply is already here. */
export function startTurn(log: SessionLog, turnId: string, queuePosition: number): SessionLog {
  if (hasReply(log, turnId)) return log;
  const status = queuePosition > 0 ? "queued" : "running";
  return { ...log, active: { turnId, status, partialText: "", queuePosition: queuePosition > 0 ? queuePosition : null } };
}

export function applyTurnStatus(log: SessionLog, turnId: string, status: TurnStatus): SessionLog {
  if (status === "queued" || status === "running") {
    if (hasReply(log, turnId)) return log;
    const same = log.active?.turnId === turnId ? log.active : null;
    if (same && same.status === status) return log;
    return {
      ...log,
      active: {
        turnId,
        status,
        partialText: same?.partialText ?? "",
        queuePosition: status === "queued" ? (same?.queuePosition ?? null) : null,
      },
    };
  }
  // Over: the assistant message frame clears the active turn; until it lands the streamed text stays.
  return log;
}

export interface ProgressResult {
  log: SessionLog;
  /** The client missed a piece: read the turn back (`partialText`). */
  missed: boolean;
}

export function applyProgress(log: SessionLog, turnId: string, text: string, offset: number): ProgressResult {
  if (hasReply(log, turnId)) return { log, missed: false };
  const active: ActiveTurn =
    log.active?.turnId === turnId ? log.active : { turnId, status: "running", partialText: "", queuePosition: null };
  const have = active.partialText.length;
  if (offset > have) return { log: { ...log, active: { ...active, status: "running", queuePosition: null } }, missed: true };
  if (offset + text.length <= have) return { log, missed: false };
  const partialText = active.partialText.slice(0, offset) + text;
  return { log: { ...log, active: { ...active, status: "running", queuePosition: null, partialText } }, missed: false };
}

/** What `GET …/turns/:id` says, which wins over anything streamed: the landed reply or the text so far. */
export function applyTurnRead(log: SessionLog, turn: AgentTurn): SessionLog {
  let next = upsertMessage(log, turn.userMessage);
  if (turn.assistantMessage) {
    next = upsertMessage(next, turn.assistantMessage);
    return next.active?.turnId === turn.id ? { ...next, active: null } : next;
  }
  if (turn.status !== "queued" && turn.status !== "running") return next;
  const current = next.active?.turnId === turn.id ? next.active.partialText : "";
  return {
    ...next,
    active: {
      turnId: turn.id,
      status: turn.status,
      partialText: turn.partialText.length >= current.length ? turn.partialText : current,
      queuePosition: turn.queuePosition,
    },
  };
}

export function applySession(log: SessionLog, session: AgentSession): SessionLog {
  if (session.id !== log.sessionId) return log;
  let next: SessionLog = { ...log, session };
  if (session.activeTurnId && !next.active && !hasReply(next, session.activeTurnId)) {
    next = applyTurnStatus(next, session.activeTurnId, session.state === "queued" ? "queued" : "running");
  }
  return next;
}

/** Decisions read from the API or sent by the socket; only this session's are kept. */
export function applyDecisions(log: SessionLog, decisions: readonly Decision[]): SessionLog {
  const mine = decisions.filter((d) => d.sessionId === log.sessionId);
  if (mine.length === 0) return log;
  const next = putDecisions(log.decisions, mine);
  return next === log.decisions ? log : { ...log, decisions: next };
}

/** Pending decisions of turns the log shows nowhere (no reply loaded, not the active turn): shown at the end. */
export function unplacedPending(decisions: DecisionsByTurn, messages: readonly Message[], activeTurnId: string | null): Decision[] {
  const placed = new Set(messages.flatMap((m) => (m.role === "assistant" && m.turnId ? [m.turnId] : [])));
  if (activeTurnId) placed.add(activeTurnId);
  return Object.entries(decisions)
    .filter(([turnId]) => !placed.has(turnId))
    .flatMap(([, list]) => list.filter((d) => d.status === "pending"));
}
