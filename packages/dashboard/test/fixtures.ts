import type { AgentSession, Decision, Kontask, Message, ToolCall } from "@kon/protocol";

export function message(over: Partial<Message> & Pick<Message, "id" | "createdAt">): Message {
  return {
    sessionId: "s1",
    role: "user",
    text: "hi",
    attachments: [],
    turnId: null,
    status: "complete",
    error: null,
    costUsd: null,
    durationMs: null,
    tokens: null,
    lastCachePct: null,
    timing: null,
    model: null,
    recovered: false,
    memoryLost: false,
    claudeSessionId: null,
    ...over,
  };
}

export function toolCall(over: Partial<ToolCall> & Pick<ToolCall, "id" | "turnId" | "startedAt">): ToolCall {
  return { sessionId: "s1", name: "Bash", input: { command: "ls" }, result: null, resultTruncated: false, status: "running", finishedAt: null, ...over };
}

export function session(over: Partial<AgentSession> & Pick<AgentSession, "id">): AgentSession {
  return {
    agent: "claude",
    userId: "u1",
    title: null,
    state: "idle",
    activeTurnId: null,
    hot: false,
    lastActivityAt: "2026-03-01T10:00:00Z",
    claudeSessionId: null,
    totalCostUsd: 0,
    messageCount: 0,
    budget: null,
    createdAt: "2026-03-01T10:00:00Z",
    updatedAt: "2026-03-01T10:00:00Z",
    ...over,
  };
}

export function kontask(over: Partial<Kontask> & Pick<Kontask, "id" | "createdAt">): Kontask {
  return {
    type: "task",
    status: "pending",
    title: over.id,
    description: null,
    context: {},
    scope: null,
    tags: [],
    targetUser: null,
    createdBy: "claude",
    sessionId: null,
    updatedAt: over.createdAt,
    ...over,
  };
}

export function decision(over: Partial<Decision> & Pick<Decision, "id" | "createdAt">): Decision {
  return {
    kind: "tool",
    status: "pending",
    agent: "claude",
    sessionId: "s1",
    turnId: "t1",
    userId: "u1",
    toolName: "Bash",
    toolUseId: null,
    input: { command: "ls" },
    questions: [],
    reason: null,
    expiresAt: "2026-03-01T11:00:00Z",
    answeredAt: null,
    decidedBy: null,
    answeredBy: null,
    answer: null,
    ...over,
  };
}

export function settled(d: Decision, over: Partial<Decision> = {}): Decision {
  return {
    ...d,
    status: "allowed",
    answeredAt: "2026-03-01T10:05:00Z",
    decidedBy: "person",
    answeredBy: { userId: "u2", username: "bob" },
    answer: { behavior: "allow", message: null, updatedInput: null, alwaysAllow: false, answers: null, rule: null },
    ...over,
  };
}
