import type { Turn } from "@kon/protocol";
import type { KonsoleConfig } from "../config.ts";
import type { KonsoleBus } from "../events/bus.ts";
import type { SessionStore } from "../journal/session-store.ts";
import type { TokenLedger } from "../journal/token-ledger.ts";
import type { TurnJournal } from "../journal/turn-journal.ts";
import { turnFromRow, type TurnPatch, type TurnStore } from "../journal/turn-store.ts";
import type { Logger } from "../logger.ts";
import type { ProcessTokenClient } from "../tokens/process-token-client.ts";

export interface SupervisorDeps {
  config: KonsoleConfig;
  sessions: SessionStore;
  turns: TurnStore;
  journal: TurnJournal;
  tokens: ProcessTokenClient;
  /** Tokens granted and not yet revoked, for start-up recovery. */
  tokenLedger: TokenLedger;
  logger: Logger;
  /** konsole's event bus (the journal publishes on it too). */
  bus: KonsoleBus;
}

/** Stores a change to a turn and journals the turn as it now stands. */
export function updateTurn(deps: Pick<SupervisorDeps, "turns" | "journal">, turnId: string, patch: TurnPatch): Turn {
  const turn = turnFromRow(deps.turns.update(turnId, patch));
  deps.journal.append(turn.id, turn.sessionId, { type: "turn", turn });
  return turn;
}
