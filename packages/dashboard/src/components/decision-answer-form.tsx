import type { AnswerDecisionRequest, Decision } from "@kon/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { editableText, parseEditedInput, toolInputView } from "../logic/decision-view.ts";
import { ErrorNote } from "./error-note.tsx";
import { QuestionForm } from "./question-form.tsx";

type Mode = "choose" | "deny" | "edit";

/** The answers to a pending decision: allow, always allow, edit & allow, deny with a message; or the questions' form. */
export function DecisionAnswerForm({ decision }: { decision: Decision }) {
  const [mode, setMode] = useState<Mode>("choose");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [edited, setEdited] = useState(() => editableText(decision.toolName, decision.input));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const id = `decision-${decision.id}`;
  const isCommand = toolInputView(decision.toolName, decision.input).kind === "command";
  const field = useRef<HTMLTextAreaElement>(null);
  // The field a person opened (the denial's message, the input to edit) takes the keyboard.
  useEffect(() => {
    if (mode !== "choose") field.current?.focus();
  }, [mode]);

  const answer = async (body: AnswerDecisionRequest) => {
    setBusy(true);
    setError(null);
    try {
      await app.answerDecision(decision.id, body);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const sendDenial = (event: Event) => {
    event.preventDefault();
    if (!message.trim()) {
      setFieldError("Write what the agent should be told, for example why or what to do instead.");
      return;
    }
    setFieldError(null);
    void answer({ behavior: "deny", message: message.trim() });
  };

  const sendEdited = (event: Event) => {
    event.preventDefault();
    const parsed = parseEditedInput(decision.toolName, decision.input, edited);
    if (!parsed.ok) {
      setFieldError(parsed.error);
      return;
    }
    setFieldError(null);
    void answer({ behavior: "allow", updatedInput: parsed.value });
  };

  const switchTo = (next: Mode) => {
    setMode(next);
    setFieldError(null);
    setError(null);
  };

  const cancel = (
    <button type="button" class="quiet" disabled={busy} onClick={() => switchTo("choose")}>
      Cancel
    </button>
  );

  return (
    <div class="decision-answer">
      {mode === "choose" && decision.kind === "question" && <QuestionForm decision={decision} busy={busy} onAnswer={answer} onDecline={() => switchTo("deny")} />}
      {mode === "choose" && decision.kind === "tool" && (
        <div class="decision-buttons">
          <button type="button" class="primary" disabled={busy} onClick={() => void answer({ behavior: "allow" })}>
            Allow
          </button>
          <button type="button" disabled={busy} onClick={() => void answer({ behavior: "allow", alwaysAllow: true })}>
            Always allow for this session
          </button>
          <button type="button" disabled={busy} onClick={() => switchTo("edit")}>
            Edit & allow
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => switchTo("deny")}>
            Deny
          </button>
        </div>
      )}
      {mode === "deny" && (
        <form class="decision-form" onSubmit={sendDenial} noValidate>
          <label for={`${id}-message`}>Message to the agent</label>
          <textarea
            ref={field}
            id={`${id}-message`}
            rows={2}
            value={message}
            maxLength={2000}
            placeholder="Why not, or what to do instead"
            aria-invalid={fieldError ? "true" : undefined}
            aria-describedby={fieldError ? `${id}-field-error` : undefined}
            onInput={(e) => setMessage(e.currentTarget.value)}
          />
          {fieldError && (
            <p class="error field-error" id={`${id}-field-error`}>
              {fieldError}
            </p>
          )}
          <div class="decision-buttons">
            <button type="submit" class="danger" disabled={busy}>
              Send denial
            </button>
            {cancel}
          </div>
        </form>
      )}
      {mode === "edit" && (
        <form class="decision-form" onSubmit={sendEdited} noValidate>
          <label for={`${id}-input`}>{isCommand ? "Command to run" : "Tool input (JSON)"}</label>
          <textarea
            ref={field}
            id={`${id}-input`}
            class="mono"
            rows={isCommand ? 3 : 8}
            value={edited}
            spellcheck={false}
            aria-invalid={fieldError ? "true" : undefined}
            aria-describedby={fieldError ? `${id}-field-error` : undefined}
            onInput={(e) => setEdited(e.currentTarget.value)}
          />
          {fieldError && (
            <p class="error field-error" id={`${id}-field-error`}>
              {fieldError}
            </p>
          )}
          <div class="decision-buttons">
            <button type="submit" class="primary" disabled={busy}>
              Allow edited
            </button>
            {cancel}
          </div>
        </form>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
