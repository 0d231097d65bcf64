import type { AgentSession, AnswerDecisionRequest, DashboardServerFrame, Decision, Kontask, ObservedSession, ObserverEvent, TurnKind, User } from "@kon/protocol";
import { AuthSession } from "../api/auth.ts";
import { ApiClient } from "../api/client.ts";
import { createApi, type Api, type KontaskFilters } from "../api/endpoints.ts";
import { ApiFailure, messageOf } from "../api/errors.ts";
import { LiveConnection, type ConnectionState } from "../live/connection.ts";
import { Decision as DecisionSchema } from "../live/frame-schema.ts";
import { applyDecisionToInbox, applyInboxRead, applyKontaskToInbox, emptyInbox, type InboxState } from "./inbox.ts";
import { applyHostSession, type HostFilter } from "./host-list.ts";
import { applyKontaskChange } from "./kontask-list.ts";
import { applySessionChange, sortSessions } from "./session-list.ts";
import {
  applyDecisions,
  applyNewestPage,
  applyOlderPage,
  applyProgress,
  applySession,
  applyTurnRead,
  applyTurnStatus,
  emptyLog,
  hasReply,
  startTurn,
  upsertMessage,
  upsertToolCall,
  type SessionLog,
} from "./session-log.ts";
import { Store } from "./store.ts";

export interface SessionListState {
  list: readonly AgentSession[] | null;
  error: string | null;
}

export interface KontaskListState {
  filters: KontaskFilters;
  list: readonly Kontask[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
}

export interface HostState {
  filter: HostFilter;
  list: readonly ObservedSession[] | null;
  total: number;
  error: string | null;
  /** Counts `host` frames: views of totals and blocks read again when it moves. */
  revision: number;
  /** Per session id, the `host` frames about it: its detail view reads again when it moves. */
  versions: Readonly<Record<string, number>>;
}

export interface AppState {
  auth: "checking" | "signed-out" | "signed-in";
  /** Why the page could not tell whether the person is still logged in. */
  authProblem: string | null;
  user: User | null;
  connection: ConnectionState;
  sessions: Readonly<Record<string, SessionListState>>;
  log: SessionLog | null;
  logError: string | null;
  kontasks: KontaskListState;
  inbox: InboxState;
  /** Decisions this page answered after someone else had: shown settled, with who did, until dismissed. */
  answeredElsewhere: Readonly<Record<string, Decision>>;
  host: HostState;
}

const initialState: AppState = {
  auth: "checking",
  authProblem: null,
  user: null,
  connection: "offline",
  sessions: {},
  log: null,
  logError: null,
  kontasks: { filters: {}, list: [], nextCursor: null, loading: false, error: null },
  inbox: emptyInbox,
  answeredElsewhere: {},
  host: { filter: "active", list: null, total: 0, error: null, revision: 0, versions: {} },
};

/** The decision a 409 carries in its details (`{ decision }`, or the decision itself). */
function decisionIn(details: unknown): Decision | null {
  const wrapped = typeof details === "object" && details !== null && "decision" in details ? details.decision : details;
  const parsed = DecisionSchema.safeParse(wrapped);
  return parsed.success ? parsed.data : null;
}

/** How long kontask frames are gathered before the inbox is read again. */
const INBOX_REREAD_MS = 300;

const HOST_PAGE_SIZE = 100;

/** The one store: fed by the API and by `/api/live`, read by every page. */
export class App {
  readonly store = new Store<AppState>(initialState);
  readonly auth = new AuthSession();
  readonly api: Api = createApi(new ApiClient(this.auth));
  private readonly live = new LiveConnection({
    token: () => this.auth.accessToken,
    renew: () => this.auth.refresh(),
    onFrame: (frame) => this.receive(frame),
    // Every (re)connection reads back what the socket may have missed before `hello`.
    onConnected: () => void this.catchUp(),
    onState: (connection) => this.store.update((s) => (s.connection === connection ? s : { ...s, connection })),
    onSignedOut: () => this.auth.clear(),
  });
  private pendingReads = new Map<string, ReturnType<typeof setTimeout>>();
  private inboxReread: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.auth.onChange((user) => {
      this.store.update((s) => ({ ...s, user, auth: user ? "signed-in" : "signed-out", authProblem: null }));
      if (user) this.live.start();
      else this.signedOut();
    });
  }

  private set(change: (s: AppState) => AppState): void {
    this.store.update(change);
  }

  async init(): Promise<void> {
    try {
      const ok = this.auth.mayRefresh() && (await this.auth.refresh());
      if (!ok) this.set((s) => ({ ...s, auth: "signed-out" }));
    } catch (error) {
      this.set((s) => ({ ...s, auth: "signed-out", authProblem: messageOf(error) }));
    }
  }

  async login(username: string, password: string): Promise<void> {
    await this.auth.login(username, password);
  }

  async logout(): Promise<void> {
    await this.auth.logout().catch(() => undefined);
  }

  private signedOut(): void {
    this.live.stop();
    clearTimeout(this.inboxReread);
    this.inboxReread = undefined;
    this.set(() => ({ ...initialState, auth: "signed-out" }));
  }

  // ---- sessions ----

  async loadSessions(agent: string): Promise<void> {
    try {
      const { sessions } = await this.api.listSessions(agent);
      this.set((s) => ({ ...s, sessions: { ...s.sessions, [agent]: { list: sortSessions(sessions), error: null } } }));
      const log = this.store.get().log;
      const open = log?.agent === agent ? sessions.find((x) => x.id === log.sessionId) : undefined;
      if (open) this.updateLog((l) => applySession(l, open));
    } catch (error) {
      this.set((s) => ({
        ...s,
        sessions: { ...s.sessions, [agent]: { list: s.sessions[agent]?.list ?? null, error: messageOf(error) } },
      }));
    }
  }

  async createSession(agent: string): Promise<AgentSession> {
    const session = await this.api.createSession(agent);
    this.applySessionFrame("created", session);
    return session;
  }

  async renameSession(agent: string, id: string, title: string | null): Promise<void> {
    const session = await this.api.renameSession(agent, id, title);
    this.applySessionFrame("updated", session);
  }

  async deleteSession(agent: string, id: string): Promise<void> {
    await this.api.deleteSession(agent, id);
    const list = this.store.get().sessions[agent]?.list;
    const session = list?.find((s) => s.id === id);
    if (session) this.applySessionFrame("deleted", session);
  }

  // ---- the open session ----

  private updateLog(change: (log: SessionLog) => SessionLog): void {
    this.set((s) => {
      if (!s.log) return s;
      const log = change(s.log);
      return log === s.log ? s : { ...s, log };
    });
  }

  async openSession(agent: string, sessionId: string): Promise<void> {
    const current = this.store.get().log;
    if (current?.agent === agent && current.sessionId === sessionId) return;
    this.set((s) => ({ ...s, log: emptyLog(agent, sessionId), logError: null }));
    await this.refreshOpenSession();
  }

  closeSession(): void {
    this.set((s) => ({ ...s, log: null, logError: null }));
  }

  /** Reads the open session back from the API: newest page, state, and the active turn's text or reply. */
  private async refreshOpenSession(): Promise<void> {
    const log = this.store.get().log;
    if (!log) return;
    const { agent, sessionId } = log;
    const tracked = log.active?.turnId;
    try {
      const [page, decisions] = await Promise.all([
        this.api.messages(agent, sessionId),
        this.api.sessionDecisions(sessionId),
        this.loadSessions(agent),
      ]);
      if (!this.isOpen(agent, sessionId)) return;
      this.updateLog((l) => applyDecisions(applyNewestPage(l, page), decisions.decisions));
      const after = this.store.get().log;
      const turnIds = new Set([tracked, after?.session?.activeTurnId, after?.active?.turnId].filter((x): x is string => !!x));
      await Promise.all([...turnIds].map((id) => this.readTurn(agent, sessionId, id)));
    } catch (error) {
      if (this.isOpen(agent, sessionId)) this.set((s) => ({ ...s, logError: messageOf(error) }));
    }
  }

  private isOpen(agent: string, sessionId: string): boolean {
    const log = this.store.get().log;
    return log?.agent === agent && log.sessionId === sessionId;
  }

  private async readTurn(agent: string, sessionId: string, turnId: string): Promise<void> {
    const turn = await this.api.turn(agent, sessionId, turnId);
    if (this.isOpen(agent, sessionId)) this.updateLog((l) => applyTurnRead(l, turn));
  }

  /** A turn's end was announced but its reply has not arrived: read it back unless it lands meanwhile. */
  private readTurnSoon(agent: string, sessionId: string, turnId: string, delayMs: number): void {
    if (this.pendingReads.has(turnId)) return;
    this.pendingReads.set(
      turnId,
      setTimeout(() => {
        this.pendingReads.delete(turnId);
        const log = this.store.get().log;
        if (!log || !this.isOpen(agent, sessionId)) return;
        if (log.active?.turnId !== turnId && hasReply(log, turnId)) return;
        this.readTurn(agent, sessionId, turnId).catch((error: unknown) => this.set((s) => ({ ...s, logError: messageOf(error) })));
      }, delayMs),
    );
  }

  async loadOlder(): Promise<void> {
    const log = this.store.get().log;
    if (!log?.olderCursor) return;
    const { agent, sessionId } = log;
    const page = await this.api.messages(agent, sessionId, log.olderCursor);
    if (this.isOpen(agent, sessionId)) this.updateLog((l) => applyOlderPage(l, page));
  }

  async send(text: string, files: readonly File[], kind: TurnKind = "task"): Promise<void> {
    const log = this.store.get().log;
    if (!log) return;
    const { agent, sessionId } = log;
    const accepted = await this.api.send(agent, sessionId, text, kind, files);
    if (!this.isOpen(agent, sessionId)) return;
    this.updateLog((l) => startTurn(upsertMessage(l, accepted.userMessage), accepted.turnId, accepted.queuePosition));
  }

  /** Continues a turn that hit its turn limit for `maxTurns` more, in the open session. */
  async continueAfterCap(turnId: string, maxTurns: number): Promise<void> {
    const log = this.store.get().log;
    if (!log) return;
    const { agent, sessionId } = log;
    const accepted = await this.api.continueTurn(agent, sessionId, turnId, maxTurns);
    if (!this.isOpen(agent, sessionId)) return;
    this.updateLog((l) => startTurn(upsertMessage(l, accepted.userMessage), accepted.turnId, accepted.queuePosition));
  }

  async interrupt(): Promise<void> {
    const log = this.store.get().log;
    if (!log?.active) return;
    await this.api.interrupt(log.agent, log.sessionId, log.active.turnId);
  }

  async resetMemory(): Promise<void> {
    const log = this.store.get().log;
    if (!log) return;
    await this.api.resetSession(log.agent, log.sessionId);
    await this.loadSessions(log.agent);
  }

  // ---- kontasks ----

  async loadKontasks(filters: KontaskFilters, more = false): Promise<void> {
    const cursor = more ? (this.store.get().kontasks.nextCursor ?? undefined) : undefined;
    this.set((s) => ({
      ...s,
      kontasks: more
        ? { ...s.kontasks, loading: true }
        : // A re-read of the same filters (after a reconnect) keeps the list on screen until the page arrives.
          { filters, list: s.kontasks.filters === filters ? s.kontasks.list : [], nextCursor: null, loading: true, error: null },
    }));
    try {
      const page = await this.api.kontasks(filters, cursor);
      this.set((s) => {
        if (s.kontasks.filters !== filters && !more) return s;
        const known = new Set(s.kontasks.list.map((k) => k.id));
        const list = more ? [...s.kontasks.list, ...page.kontasks.filter((k) => !known.has(k.id))] : page.kontasks;
        return { ...s, kontasks: { ...s.kontasks, list, nextCursor: page.nextCursor, loading: false, error: null } };
      });
    } catch (error) {
      this.set((s) => ({ ...s, kontasks: { ...s.kontasks, loading: false, error: messageOf(error) } }));
    }
  }

  // ---- inbox and decisions ----

  async loadInbox(): Promise<void> {
    try {
      const inbox = await this.api.inbox();
      this.set((s) => ({ ...s, inbox: applyInboxRead(s.inbox, inbox) }));
    } catch (error) {
      this.set((s) => ({ ...s, inbox: { ...s.inbox, error: messageOf(error) } }));
    }
  }

  private rereadInboxSoon(): void {
    if (this.inboxReread !== undefined) return;
    this.inboxReread = setTimeout(() => {
      this.inboxReread = undefined;
      void this.loadInbox();
    }, INBOX_REREAD_MS);
  }

  /** A decision asked or settled (a frame, an answer's response, a 409's details): everywhere it shows. */
  private applyDecision(decision: Decision): void {
    this.set((s) => {
      const inbox = applyDecisionToInbox(s.inbox, decision);
      return inbox === s.inbox ? s : { ...s, inbox };
    });
    this.updateLog((l) => applyDecisions(l, [decision]));
  }

  /**
   * Answers a decision. When someone else answered first (409), the decision as settled is shown
   * in place with who answered; any other failure is thrown for the page to show where it happened.
   */
  async answerDecision(id: string, body: AnswerDecisionRequest): Promise<void> {
    try {
      this.applyDecision(await this.api.answerDecision(id, body));
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.status !== 409) throw error;
      const settled = decisionIn(error.details) ?? (await this.api.decision(id).catch(() => null));
      if (!settled || settled.status === "pending") throw error;
      this.applyDecision(settled);
      this.set((s) => ({ ...s, answeredElsewhere: { ...s.answeredElsewhere, [id]: settled } }));
    }
  }

  dismissAnsweredElsewhere(id: string): void {
    this.set((s) => {
      if (!(id in s.answeredElsewhere)) return s;
      const { [id]: _gone, ...rest } = s.answeredElsewhere;
      return { ...s, answeredElsewhere: rest };
    });
  }

  // ---- host sessions ----

  async loadHostSessions(filter: HostFilter): Promise<void> {
    this.set((s) => ({ ...s, host: { ...s.host, filter, list: s.host.filter === filter ? s.host.list : null, error: null } }));
    try {
      const page = await this.api.hostSessions({ active: filter === "active" ? "true" : undefined, limit: HOST_PAGE_SIZE });
      this.set((s) => (s.host.filter !== filter ? s : { ...s, host: { ...s.host, list: page.sessions, total: page.total, error: null } }));
    } catch (error) {
      this.set((s) => (s.host.filter !== filter ? s : { ...s, host: { ...s.host, error: messageOf(error) } }));
    }
  }

  /** "Continue here": a new agent session that resumes the host session; resolves to it. */
  async adoptHostSession(id: string): Promise<AgentSession> {
    const session = await this.api.adoptHostSession(id);
    this.applySessionFrame("created", session);
    return session;
  }

  private applyHostEvent(event: ObserverEvent): void {
    if (event.kind === "sessions") {
      this.set((s) => ({ ...s, host: { ...s.host, revision: s.host.revision + 1 } }));
      if (this.store.get().host.list) void this.loadHostSessions(this.store.get().host.filter);
      return;
    }
    const { session } = event;
    this.set((s) => {
      const list = s.host.list ? applyHostSession(s.host.list, s.host.filter, session) : null;
      const versions = { ...s.host.versions, [session.id]: (s.host.versions[session.id] ?? 0) + 1 };
      return { ...s, host: { ...s.host, list, revision: s.host.revision + 1, versions } };
    });
  }

  // ---- live frames ----

  /** After a dropped connection, a reload or a suspended tab: read back what frames may have been missed. */
  private async catchUp(): Promise<void> {
    await Promise.all([this.refreshOpenSession(), this.loadInbox()]);
    const open = this.store.get().log?.agent;
    const agents = Object.keys(this.store.get().sessions).filter((agent) => agent !== open);
    await Promise.all(agents.map((agent) => this.loadSessions(agent)));
    const { filters } = this.store.get().kontasks;
    if (this.store.get().kontasks.list.length > 0) await this.loadKontasks(filters);
    const host = this.store.get().host;
    if (host.list) {
      await this.loadHostSessions(host.filter);
      this.set((s) => ({ ...s, host: { ...s.host, revision: s.host.revision + 1 } }));
    }
  }

  private applySessionFrame(action: "created" | "updated" | "deleted", session: AgentSession): void {
    this.set((s) => {
      const entry = s.sessions[session.agent];
      if (!entry?.list) return s;
      const list = applySessionChange(entry.list, action, session);
      return list === entry.list ? s : { ...s, sessions: { ...s.sessions, [session.agent]: { ...entry, list } } };
    });
    if (action !== "deleted") this.updateLog((l) => applySession(l, session));
    else if (this.isOpen(session.agent, session.id)) {
      this.set((s) => ({ ...s, logError: "This session was deleted (here or in another tab). Its messages are gone." }));
    }
  }

  private receive(frame: DashboardServerFrame): void {
    switch (frame.type) {
      case "hello":
        // After 4005 (role changed) the same login reconnects and sees what its new role allows.
        return this.set((s) => (s.user && s.user.role !== frame.user.role ? { ...s, user: { ...s.user, role: frame.user.role } } : s));
      case "session":
        return this.applySessionFrame(frame.action, frame.session);
      case "kontask": {
        let reread = false;
        this.set((s) => {
          const list = applyKontaskChange(s.kontasks.list, s.kontasks.filters, frame.action, frame.kontask);
          const result = applyKontaskToInbox(s.inbox, frame.action, frame.kontask);
          reread = result.reread;
          if (list === s.kontasks.list && result.state === s.inbox) return s;
          return { ...s, kontasks: { ...s.kontasks, list }, inbox: result.state };
        });
        if (reread) this.rereadInboxSoon();
        return;
      }
      case "decision":
        return this.applyDecision(frame.decision);
      case "host":
        return this.applyHostEvent(frame.event);
      case "pong":
        return;
      case "error":
        console.warn("live stream error:", frame.error.message);
        return;
    }
    if (!this.isOpen(frame.agent, frame.sessionId)) return;
    switch (frame.type) {
      case "message":
        return this.updateLog((l) => upsertMessage(l, frame.message));
      case "tool":
        return this.updateLog((l) => upsertToolCall(l, frame.call));
      case "turn":
        this.updateLog((l) => applyTurnStatus(l, frame.turnId, frame.status));
        if (frame.status === "succeeded" || frame.status === "failed") this.readTurnSoon(frame.agent, frame.sessionId, frame.turnId, 1500);
        return;
      case "progress": {
        let missed = false;
        this.updateLog((l) => {
          const result = applyProgress(l, frame.turnId, frame.text, frame.offset);
          missed = result.missed;
          return result.log;
        });
        if (missed) this.readTurnSoon(frame.agent, frame.sessionId, frame.turnId, 0);
        return;
      }
    }
  }
}
