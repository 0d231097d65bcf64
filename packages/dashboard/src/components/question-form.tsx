import type { AnswerDecisionRequest, Decision } from "@kon/protocol";
import { useState } from "preact/hooks";
import { answersFrom, type QuestionChoice } from "../logic/decision-view.ts";

interface Props {
  decision: Decision;
  busy: boolean;
  onAnswer(body: AnswerDecisionRequest): Promise<void>;
  onDecline(): void;
}

/** An `AskUserQuestion`: each question with its options as choices, and room for an answer of one's own. */
export function QuestionForm({ decision, busy, onAnswer, onDecline }: Props) {
  const [choices, setChoices] = useState<Record<string, QuestionChoice>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const id = `decision-${decision.id}`;

  const choice = (question: string): QuestionChoice => choices[question] ?? { picked: [], other: "" };
  const pick = (question: string, label: string, multi: boolean, on: boolean) => {
    const current = choice(question);
    const picked = multi ? (on ? [...current.picked, label] : current.picked.filter((l) => l !== label)) : [label];
    setChoices({ ...choices, [question]: { ...current, picked } });
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const answers = answersFrom(decision.questions, choices);
    if (!answers.ok) {
      setProblem(answers.error);
      return;
    }
    setProblem(null);
    void onAnswer({ behavior: "answer", answers: answers.value });
  };

  return (
    <form class="decision-form" onSubmit={submit} noValidate>
      {decision.questions.map((q, qi) => {
        const multi = q.multiSelect === true;
        const current = choice(q.question);
        return (
          <fieldset key={q.question} class="question">
            <legend>
              {q.header && <span class="question-header">{q.header}</span>}
              {q.question}
            </legend>
            {q.options.map((option) => (
              <label key={option.label} class="check option">
                <input
                  type={multi ? "checkbox" : "radio"}
                  name={`${id}-q${qi}`}
                  value={option.label}
                  checked={current.picked.includes(option.label)}
                  onChange={(e) => pick(q.question, option.label, multi, e.currentTarget.checked)}
                />
                <span>
                  {option.label}
                  {option.description && <span class="hint option-hint">{option.description}</span>}
                </span>
              </label>
            ))}
            <label>
              {q.options.length > 0 ? "Or your own answer" : "Your answer"}
              <input
                value={current.other}
                maxLength={10_000}
                onInput={(e) => setChoices({ ...choices, [q.question]: { ...current, other: e.currentTarget.value } })}
              />
            </label>
          </fieldset>
        );
      })}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="decision-buttons">
        <button type="submit" class="primary" disabled={busy}>
          Send answer
        </button>
        <button type="button" class="quiet" disabled={busy} onClick={onDecline}>
          Decline to answer
        </button>
      </div>
    </form>
  );
}
