import type { Decision } from "@kon/protocol";
import { outcomeSentence } from "../logic/decision-view.ts";
import { ToolInputView } from "./tool-input-view.tsx";

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** A settled decision: who decided, when, what, and the message the agent was given. */
export function DecisionRecord({ decision }: { decision: Decision }) {
  const answer = decision.answer;
  return (
    <div class="decision-record">
      <p class="outcome">
        {outcomeSentence(decision)}{" "}
        {decision.answeredAt && (
          <time dateTime={decision.answeredAt} class="muted" title={new Date(decision.answeredAt).toLocaleString()}>
            {timeOf(decision.answeredAt)}
          </time>
        )}
      </p>
      {answer?.message && (
        <p class="decision-message">
          <span class="muted">Told the agent: </span>
          {answer.message}
        </p>
      )}
      {answer?.answers && (
        <dl class="answers">
          {Object.entries(answer.answers).map(([question, reply]) => (
            <div key={question}>
              <dt>{question}</dt>
              <dd>{reply}</dd>
            </div>
          ))}
        </dl>
      )}
      {answer?.updatedInput && (
        <details class="raw">
          <summary>Input it ran with</summary>
          <ToolInputView toolName={decision.toolName} input={answer.updatedInput} />
        </details>
      )}
    </div>
  );
}
