import type { KonsoleConfig } from "../config.ts";
import type { KonsoleDb } from "../journal/database.ts";
import type { TurnJournal } from "../journal/turn-journal.ts";
import type { TurnStore } from "../journal/turn-store.ts";
import type { Logger } from "../logger.ts";
import type { Supervisor } from "../supervisor/supervisor.ts";
import { HostObserver } from "./host-observer.ts";
import { ObserverQueries } from "./observer-queries.ts";
import { ObserverStore } from "./observer-store.ts";

export interface ObserverParts {
  config: KonsoleConfig;
  db: KonsoleDb;
  journal: TurnJournal;
  supervisor: Supervisor;
  turns: TurnStore;
  logger: Logger;
}

export interface RunningObserver {
  observer: HostObserver;
  queries: ObserverQueries;
}

/** The observer wired to konsole: its tables, the journal, and what konsole knows of its own conversations. */
export function createHostObserver({ config, db, journal, supervisor, turns, logger }: ObserverParts): RunningObserver {
  const queries = new ObserverQueries(db, {
    live: () =>
      new Set([
        ...supervisor.hotStatus().processes.flatMap((process) => (process.sessionId ? [process.claudeSessionId] : [])),
        ...turns.withStatus(["running"]).flatMap((turn) => (turn.claudeSessionId ? [turn.claudeSessionId] : [])),
      ]),
    konsoleSessions: (ids) => turns.sessionsOfConversations(ids),
  });
  const observer = new HostObserver({
    roots: config.observeDirs,
    rescanSec: config.observeRescanSec,
    store: new ObserverStore(db),
    queries,
    journal,
    logger: logger.child({ part: "observer" }),
  });
  return { observer, queries };
}
