import { readFileSync } from "node:fs";
import type { JournalEntry } from "@kon/protocol";
import { endProcessGroup, processAlive, processGroupAlive } from "../claude/process-group.ts";
import { endTaggedProcesses } from "../claude/process-tag.ts";
import { TurnAccumulator } from "../claude/turn-accumulator.ts";
import { limitsOfRow, type TurnRow } from "../journal/turn-store.ts";
import type { SupervisorDeps } from "./deps.ts";
import { closeTurn, failTurn } from "./turn-closer.ts";

const PAGE = 1_000;

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
}

/**
 * Ends what is left of a previous life's process for this turn. A live leader is only
 * signalled when its command line names the turn's conversation (pids get reused); a group
 * whose leader is gone cannot have been reused, so what is left of it is ours.
 */
async function endLeftoverProcess(row: TurnRow, graceMs: number): Promise<void> {
  const pid = row.pid;
  if (pid !== null && processGroupAlive(pid)) {
    const commandLine = processAlive(pid) ? commandLineOf(pid) : undefined;
    const leaderIsOurs = commandLine === undefined || (row.claudeSessionId !== null && commandLine.includes(row.claudeSessionId));
    if (leaderIsOurs) await endProcessGroup(pid, graceMs);
  }
  if (row.processId) await endTaggedProcesses(row.processId, graceMs);
}

function replayJournal(deps: SupervisorDeps, row: TurnRow): TurnAccumulator {
  const startedAt = Date.parse(row.startedAt ?? row.createdAt);
  const accumulator = new TurnAccumulator(startedAt);
  let after = 0;
  for (;;) {
    const page: JournalEntry[] = deps.journal.turnEntries(row.id, after, PAGE);
    for (const entry of page) {
      if (entry.payload.type === "claude") accumulator.observe(entry.payload.line, Date.parse(entry.at));
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    after = last.seq;
  }
  return accumulator;
}

async function closeRunningTurn(deps: SupervisorDeps, row: TurnRow): Promise<void> {
  await endLeftoverProcess(row, deps.config.stopGraceMs);
  const accumulator = replayJournal(deps, row);
  await closeTurn(deps, {
    turnId: row.id,
    sessionId: row.sessionId,
    limits: limitsOfRow(row),
    end: accumulator.result ? { kind: "result", result: accumulator.result } : { kind: "restarted" },
    accumulator,
    endedAt: accumulator.lastLineAt,
    stderr: "",
    stopReason: null,
    claudeSessionId: row.claudeSessionId,
    newConversation: null,
    cwd: row.cwd,
    memoryLost: row.memoryLost,
  });
}

export interface RecoveredTurns {
  closed: number;
  /** The process tokens of the turns that were running, to be revoked with the ledger's. */
  tokenIds: string[];
}

/** Closes every turn a previous life left open: queued ones fail, running ones are recovered or fail. */
export async function recoverAfterRestart(deps: SupervisorDeps): Promise<RecoveredTurns> {
  const open = deps.turns.withStatus(["queued", "running"]);
  for (const row of open) {
    const logger = deps.logger.child({ turnId: row.id, sessionId: row.sessionId });
    if (row.status === "queued") {
      failTurn(deps, row.id, { code: "supervisor_restarted", message: "konsole restarted before this turn started." });
    } else {
      await closeRunningTurn(deps, row);
    }
    logger.info({ previousStatus: row.status }, "closed a turn left open by a previous konsole");
  }
  const tokenIds = open.flatMap((row) => (row.status === "running" && row.processTokenId ? [row.processTokenId] : []));
  return { closed: open.length, tokenIds };
}
