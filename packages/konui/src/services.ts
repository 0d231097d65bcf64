import type { Context } from "hono";
import type { Registry } from "prom-client";
import { AccessTokens } from "./auth/access-tokens.ts";
import { RefreshTokens } from "./auth/refresh-tokens.ts";
import { createAuthenticator, type Authenticator } from "./auth/guard.ts";
import { ProcessTokens } from "./auth/process-tokens.ts";
import { LoginThrottle } from "./auth/throttle.ts";
import { UserStore } from "./auth/users.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/open.ts";
import { BudgetBook } from "./budgets/budget-book.ts";
import { BudgetStore } from "./budgets/budget-store.ts";
import { SpendingLedger } from "./budgets/spending-ledger.ts";
import { createKonuiBus, type KonuiBus } from "./events/bus.ts";
import { DecisionDesk } from "./decisions/decision-desk.ts";
import { DecisionStore } from "./decisions/decision-store.ts";
import { PolicyStore } from "./decisions/policy-store.ts";
import type { KonsoleApi } from "./konsole/client.ts";
import { HostAccess } from "./host/host-access.ts";
import { HostAdoption } from "./host/host-adoption.ts";
import { HostFeed } from "./host/host-feed.ts";
import { HotSessions } from "./konsole/hot-sessions.ts";
import { KontaskStore } from "./kontasks/store.ts";
import { clientAddressResolver } from "./http/client-address.ts";
import { requestOriginResolver, type RequestOrigin } from "./http/request-origin.ts";
import { LiveHub } from "./live/hub.ts";
import type { Logger } from "./logger.ts";
import { createKonuiMetrics } from "./metrics/konui-metrics.ts";
import { FlagStore } from "./sessions/flags.ts";
import { GuardrailStore } from "./sessions/guardrails.ts";
import { MessagePages } from "./sessions/message-page.ts";
import { PartialReplies } from "./sessions/partial-replies.ts";
import { SessionFrames } from "./sessions/session-frames.ts";
import { AgentSessionStore } from "./sessions/store.ts";
import { ToolCallStore } from "./sessions/tool-calls.ts";
import { TurnRecorder } from "./sessions/turn-recorder.ts";
import { TurnSender } from "./sessions/turn-sender.ts";
import { systemClock, type Clock } from "./time.ts";
import { UsageReports } from "./usage/report.ts";

export interface ServiceDeps {
  config: Config;
  db: Db;
  konsole: KonsoleApi;
  logger: Logger;
  jwtSecret: Uint8Array;
  now?: Clock;
  /** konui's event bus; tests pass one that checks every event against its schema. */
  bus?: KonuiBus;
}

/** konui's domain objects, built once over one database and shared by routes and the consumer. */
export interface Services {
  config: Config;
  logger: Logger;
  konsole: KonsoleApi;
  now: Clock;
  users: UserStore;
  accessTokens: AccessTokens;
  /** konui's one event bus: live sockets, tokens, lost access, recorded turns. */
  bus: KonuiBus;
  metrics: Registry;
  refreshTokens: RefreshTokens;
  processTokens: ProcessTokens;
  authenticator: Authenticator;
  throttle: LoginThrottle;
  /** Who sent a request: the socket's peer, or the client a trusted proxy names. */
  clientAddress: (c: Context) => string;
  /** Where the browser addressed a request (through a trusted proxy's forwarded scheme and host). */
  requestOrigin: (c: Context) => RequestOrigin;
  kontasks: KontaskStore;
  sessions: AgentSessionStore;
  sessionFrames: SessionFrames;
  hotSessions: HotSessions;
  toolCalls: ToolCallStore;
  messagePages: MessagePages;
  partials: PartialReplies;
  guardrails: GuardrailStore;
  flags: FlagStore;
  recorder: TurnRecorder;
  sender: TurnSender;
  hub: LiveHub;
  usage: UsageReports;
  budgets: BudgetStore;
  budgetBook: BudgetBook;
  policies: PolicyStore;
  decisionStore: DecisionStore;
  decisions: DecisionDesk;
  hostAccess: HostAccess;
  hostAdoption: HostAdoption;
  hostFeed: HostFeed;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, db, konsole, logger } = deps;
  const now = deps.now ?? systemClock;
  const bus = deps.bus ?? createKonuiBus({ logger });
  const hub = new LiveHub({ progressWindowMs: config.progressWindowMs, maxBufferedBytes: config.liveMaxBufferedBytes, bus });
  const users = new UserStore(db, now, config.passwordCost);
  bus.on("access.lost", (lost) => hub.endStreams(lost));
  const accessTokens = new AccessTokens(db, deps.jwtSecret, config.accessTokenTtlSec, now, bus);
  const processTokens = new ProcessTokens(db, config.processTokenTtlSec, now, bus);
  const refreshTokens = new RefreshTokens(db, config.refreshTokenTtlSec, now);
  const budgets = new BudgetStore(db, now);
  const ledger = new SpendingLedger(db);
  const budgetBook = new BudgetBook(budgets, ledger, now);
  const sessions = new AgentSessionStore(db, now, (row) => budgetBook.tightest({ sessionId: row.id, userId: row.userId, agent: row.agent }));
  const hostAccess = new HostAccess(db);
  const hotSessions = new HotSessions(konsole, logger.child({ component: "hot-sessions" }));
  const sessionFrames = new SessionFrames(hub, hotSessions);
  const toolCalls = new ToolCallStore(db, now);
  const partials = new PartialReplies();
  const guardrails = new GuardrailStore(db, now);
  const policies = new PolicyStore(db, now);
  const decisionStore = new DecisionStore(db);
  const decisions = new DecisionDesk({
    db,
    store: decisionStore,
    policies,
    sessions,
    users,
    konsole,
    hub,
    now,
    logger: logger.child({ component: "decisions" }),
  });
  const recorder = new TurnRecorder({ db, hub, sessions, sessionFrames, toolCalls, partials, ledger, now, bus });
  const sender = new TurnSender({
    db,
    konsole,
    recorder,
    partials,
    guardrails,
    budgetBook,
    decisions,
    sessions,
    hub,
    dataDir: config.dataDir,
    now,
    logger: logger.child({ component: "turns" }),
  });
  return {
    config,
    logger,
    konsole,
    now,
    users,
    accessTokens,
    bus,
    metrics: createKonuiMetrics(bus, {
      liveSockets: () => hub.size,
      processTokens: () => ({ bound: processTokens.countLive(), pooled: processTokens.countPooled() }),
      pendingDecisions: () => decisionStore.pendingCounts(),
    }),
    refreshTokens,
    processTokens,
    authenticator: createAuthenticator(users, accessTokens, processTokens),
    throttle: new LoginThrottle(db, now),
    clientAddress: clientAddressResolver(config.trustedProxies),
    requestOrigin: requestOriginResolver(config.trustedProxies),
    kontasks: new KontaskStore(db, now),
    sessions,
    sessionFrames,
    hotSessions,
    toolCalls,
    messagePages: new MessagePages(db, toolCalls),
    partials,
    guardrails,
    flags: new FlagStore(db, now),
    recorder,
    sender,
    hub,
    usage: new UsageReports(db, now),
    budgets,
    budgetBook,
    policies,
    decisionStore,
    decisions,
    hostAccess,
    hostFeed: new HostFeed(hub, hostAccess),
    hostAdoption: new HostAdoption({ konsole, sessions, sessionFrames, config }),
  };
}
