import type { BudgetLeft } from "@kon/protocol";
import { useEffect, useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { Composer } from "../components/composer.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { Link } from "../components/link.tsx";
import { MemoryActions } from "../components/memory-actions.tsx";
import { MessageLog } from "../components/message-log.tsx";
import { RenameForm } from "../components/rename-form.tsx";
import { hotLabel, sessionTitle, STATE_LABEL } from "../components/session-labels.ts";
import { TurnControls } from "../components/turn-controls.tsx";
import { formatBudget, formatCost } from "../logic/format.ts";
import { useStore } from "../store/use-store.ts";

const BUDGET_LABEL: Record<BudgetLeft["name"], string> = {
  turn: "per turn",
  session: "per session",
  user_day: "your day",
  user_month: "your month",
  agent_day: "agent's day",
};

/** What is left of the tightest budget for the next turn (0: the next turn is refused). */
function BudgetLeftPill({ budget }: { budget: BudgetLeft }) {
  const spent = budget.remainingUsd <= 0;
  return (
    <span
      class={`pill ${spent ? "budget-spent" : "budget"}`}
      title={`The tightest budget for the next turn: ${formatBudget(budget.limitUsd)} ${BUDGET_LABEL[budget.name]}, ${formatCost(budget.spentUsd)} spent`}
    >
      {spent ? `Budget spent (${BUDGET_LABEL[budget.name]})` : `${formatCost(budget.remainingUsd)} left (${BUDGET_LABEL[budget.name]})`}
    </span>
  );
}

function SessionHeader({ agent, sessionId }: { agent: string; sessionId: string }) {
  const session = useStore(app.store, (s) => s.log?.session ?? null);
  const [renaming, setRenaming] = useState(false);
  const title = sessionTitle(session);
  useEffect(() => {
    document.title = `${title} · kon`;
  }, [title]);
  const hot = session ? hotLabel(session.hot) : null;
  return (
    <div class="session-head">
      <Link href={`/sessions/${encodeURIComponent(agent)}`} class="back">
        ← {agent}
      </Link>
      {renaming ? (
        <RenameForm title={session?.title ?? null} onSave={(t) => app.renameSession(agent, sessionId, t)} onDone={() => setRenaming(false)} />
      ) : (
        <div class="title-row">
          <h1>{title}</h1>
          <button type="button" class="quiet" onClick={() => setRenaming(true)}>
            Rename session
          </button>
        </div>
      )}
      {session && hot && (
        <div class="meta">
          <span class={`pill state-${session.state}`}>{STATE_LABEL[session.state]}</span>
          <span class={`pill ${session.hot ? "hot" : "cold"}`} title={hot.title}>
            {hot.text}
          </span>
          <span title="Cost so far">{formatCost(session.totalCostUsd)}</span>
          {session.budget && <BudgetLeftPill budget={session.budget} />}
        </div>
      )}
    </div>
  );
}

export function SessionPage({ agent, sessionId }: { agent: string; sessionId: string }) {
  const error = useStore(app.store, (s) => s.logError);
  useEffect(() => {
    void app.openSession(agent, sessionId);
  }, [agent, sessionId]);
  useEffect(() => () => app.closeSession(), []);
  return (
    <section class="page session-page">
      <SessionHeader agent={agent} sessionId={sessionId} />
      <MemoryActions agent={agent} />
      <ErrorNote message={error} />
      <MessageLog agent={agent} />
      <div class="composer-dock">
        <TurnControls />
        <Composer />
      </div>
    </section>
  );
}
