import type { Decision } from "@kon/protocol";
import { app } from "../app-instance.ts";
import { answeredElsewhereNote, decisionTitle, STATUS_LABEL } from "../logic/decision-view.ts";
import { useStore } from "../store/use-store.ts";
import { DecisionAnswerForm } from "./decision-answer-form.tsx";
import { DecisionRecord } from "./decision-record.tsx";
import { Link } from "./link.tsx";
import { memo } from "./memo.ts";
import { ToolInputView } from "./tool-input-view.tsx";

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

interface Props {
  decision: Decision;
  /** In the inbox the card says which session asked and links to it. */
  showSession?: boolean;
}

function DecisionCardView({ decision, showSession = false }: Props) {
  const elsewhere = useStore(app.store, (s) => s.answeredElsewhere[decision.id] ?? null);
  const pending = decision.status === "pending";
  const title = decisionTitle(decision);
  const headingId = `decision-${decision.id}-title`;
  return (
    <div class={`decision decision-${decision.status}`} role="group" aria-labelledby={headingId}>
      <header class="decision-head">
        <span class={`pill decision-status status-${decision.status}`}>{STATUS_LABEL[decision.status]}</span>
        <strong id={headingId}>{title}</strong>
        <time dateTime={decision.createdAt} title={new Date(decision.createdAt).toLocaleString()}>
          {timeOf(decision.createdAt)}
        </time>
        {decision.reason && <span class="muted small">· {decision.reason}</span>}
        {showSession && (
          <Link href={`/sessions/${encodeURIComponent(decision.agent)}/${encodeURIComponent(decision.sessionId)}`}>
            Open the session ({decision.agent})
          </Link>
        )}
      </header>
      {decision.kind === "tool" && <ToolInputView toolName={decision.toolName} input={decision.input} />}
      {decision.kind === "question" && !pending && !decision.answer?.answers && (
        <ul class="question-list">
          {decision.questions.map((q) => (
            <li key={q.question}>{q.question}</li>
          ))}
        </ul>
      )}
      {elsewhere && (
        <div class="answered-elsewhere" role="status">
          <span>{answeredElsewhereNote(elsewhere)}</span>
          <button type="button" class="quiet" onClick={() => app.dismissAnsweredElsewhere(decision.id)}>
            Dismiss
          </button>
        </div>
      )}
      {pending ? (
        <>
          <p class="hint">Denied automatically at {timeOf(decision.expiresAt)} if nobody answers.</p>
          <DecisionAnswerForm decision={decision} />
        </>
      ) : (
        <DecisionRecord decision={decision} />
      )}
    </div>
  );
}

/** One tool approval or agent question, pending (with its answers) or settled (with its record). */
export const DecisionCard = memo(DecisionCardView);

export function DecisionList({ decisions }: { decisions: readonly Decision[] | undefined }) {
  if (!decisions || decisions.length === 0) return null;
  return (
    <div class="decision-list">
      {decisions.map((d) => (
        <DecisionCard key={d.id} decision={d} />
      ))}
    </div>
  );
}
