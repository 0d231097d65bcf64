import type {
  AgentPolicy,
  AgentSession,
  Budgets,
  AgentSessionList,
  AgentTurn,
  AnswerDecisionRequest,
  CreateUserRequest,
  Decision,
  DecisionPage,
  FeatureFlag,
  FeatureFlagList,
  FeatureFlagName,
  Guardrails,
  HostBlocksQuery,
  HostSessionsQuery,
  HostUsageQuery,
  HotStatus,
  Inbox,
  Kontask,
  KontaskPage,
  MessagePage,
  PolicyDryRunRequest,
  PolicyVerdict,
  ObservedSessionDetail,
  ObservedSessionPage,
  ObservedUsageReport,
  ObserverStatus,
  UsageBlocksReport,
  SendMessageAccepted,
  SessionStats,
  SetFeatureFlagRequest,
  TurnKind,
  UpdateBudgetsRequest,
  UpdateAgentPolicyRequest,
  UpdateGuardrailsRequest,
  UpdateUserRequest,
  UsageReport,
  User,
  UserList,
} from "@kon/protocol";
import type { z } from "zod";
import type { ApiClient } from "./client.ts";

/** A query as the server reads it (numbers as numbers); every field optional. */
type QueryOf<S extends z.ZodType> = Partial<z.output<S>>;

export interface KontaskFilters {
  status?: string;
  type?: string;
  scope?: string;
  tag?: string;
  session?: string;
}

const agentPath = (agent: string) => `/api/agents/${encodeURIComponent(agent)}`;
const sessionPath = (agent: string, id: string) => `${agentPath(agent)}/sessions/${encodeURIComponent(id)}`;

/** konui's API as the dashboard uses it; every shape comes from @kon/protocol. */
export function createApi(client: ApiClient) {
  return {
    listSessions: (agent: string) => client.get<AgentSessionList>(`${agentPath(agent)}/sessions`),
    createSession: (agent: string) => client.post<AgentSession>(`${agentPath(agent)}/session`, {}),
    renameSession: (agent: string, id: string, title: string | null) => client.patch<AgentSession>(sessionPath(agent, id), { title }),
    deleteSession: (agent: string, id: string) => client.delete(sessionPath(agent, id)),
    resetSession: (agent: string, id: string) => client.post<unknown>(`${sessionPath(agent, id)}/reset`),
    messages: (agent: string, id: string, before?: string) =>
      client.get<MessagePage>(`${sessionPath(agent, id)}/messages`, { before, limit: 50 }),
    turn: (agent: string, id: string, turnId: string) => client.get<AgentTurn>(`${sessionPath(agent, id)}/turns/${encodeURIComponent(turnId)}`),
    interrupt: (agent: string, id: string, turnId: string) =>
      client.post<unknown>(`${sessionPath(agent, id)}/turns/${encodeURIComponent(turnId)}/interrupt`),
    send(agent: string, id: string, text: string, kind: TurnKind, files: readonly File[]) {
      const path = `${sessionPath(agent, id)}/message`;
      const query = { async: "true" };
      if (files.length === 0) return client.request<SendMessageAccepted>("POST", path, { json: { text, kind }, query });
      const form = new FormData();
      form.set("text", text);
      form.set("kind", kind);
      for (const file of files) form.append("files", file, file.name);
      return client.request<SendMessageAccepted>("POST", path, { form, query });
    },
    continueTurn: (agent: string, id: string, turnId: string, maxTurns: number) =>
      client.post<SendMessageAccepted>(`${sessionPath(agent, id)}/turns/${encodeURIComponent(turnId)}/continue`, { maxTurns }),
    guardrails: (agent: string) => client.get<Guardrails>(`${agentPath(agent)}/guardrails`),
    setGuardrails: (agent: string, body: UpdateGuardrailsRequest) => client.put<Guardrails>(`${agentPath(agent)}/guardrails`, body),

    kontasks: (filters: KontaskFilters, cursor?: string) => client.get<KontaskPage>("/api/kontasks", { ...filters, cursor, limit: 50 }),
    kontask: (id: string) => client.get<Kontask>(`/api/kontasks/${encodeURIComponent(id)}`),
    chooseKontask: (id: string, value: string) =>
      client.post<SendMessageAccepted>(`/api/kontasks/${encodeURIComponent(id)}/choose`, { value }),

    inbox: () => client.get<Inbox>("/api/inbox"),
    sessionDecisions: (sessionId: string) => client.get<DecisionPage>("/api/decisions", { sessionId, limit: 200 }),
    decision: (id: string) => client.get<Decision>(`/api/decisions/${encodeURIComponent(id)}`),
    answerDecision: (id: string, body: AnswerDecisionRequest) => client.post<Decision>(`/api/decisions/${encodeURIComponent(id)}/answer`, body),
    policy: (agent: string) => client.get<AgentPolicy>(`${agentPath(agent)}/policy`),
    setPolicy: (agent: string, body: UpdateAgentPolicyRequest) => client.put<AgentPolicy>(`${agentPath(agent)}/policy`, body),
    dryRunPolicy: (agent: string, body: PolicyDryRunRequest) => client.post<PolicyVerdict>(`${agentPath(agent)}/policy/dry-run`, body),

    hotPool: () => client.get<HotStatus>("/api/konsole/hot"),
    sessionStats: () => client.get<SessionStats>("/api/sessions/stats"),
    flags: () => client.get<FeatureFlagList>("/api/flags"),
    setFlag: (name: FeatureFlagName, body: SetFeatureFlagRequest) => client.put<FeatureFlag>(`/api/flags/${name}`, body),
    users: () => client.get<UserList>("/api/users"),
    createUser: (body: CreateUserRequest) => client.post<User>("/api/users", body),
    updateUser: (id: string, body: UpdateUserRequest) => client.patch<User>(`/api/users/${encodeURIComponent(id)}`, body),
    budgets: () => client.get<Budgets>("/api/budgets"),
    setBudgets: (body: UpdateBudgetsRequest) => client.put<Budgets>("/api/budgets", body),
    usage: (since?: string, until?: string) => client.get<UsageReport>("/api/usage", { since, until }),

    hostSessions: (query: QueryOf<typeof HostSessionsQuery>) => client.get<ObservedSessionPage>("/api/host/sessions", { ...query }),
    hostSession: (id: string) => client.get<ObservedSessionDetail>(`/api/host/sessions/${encodeURIComponent(id)}`),
    hostUsage: (query: QueryOf<typeof HostUsageQuery>) => client.get<ObservedUsageReport>("/api/host/usage", { ...query }),
    hostBlocks: (query: QueryOf<typeof HostBlocksQuery>) => client.get<UsageBlocksReport>("/api/host/blocks", { ...query }),
    hostStatus: () => client.get<ObserverStatus>("/api/host/status"),
    adoptHostSession: (id: string) => client.post<AgentSession>(`/api/host/sessions/${encodeURIComponent(id)}/adopt`, { agent: "claude" }),
  };
}

export type Api = ReturnType<typeof createApi>;
