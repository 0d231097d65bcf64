import type { Guardrails } from "@kon/protocol";
import { useEffect, useState } from "preact/hooks";
import { app } from "../../app-instance.ts";
import { ApiFailure, messageOf } from "../../api/errors.ts";
import { ErrorNote } from "../../components/error-note.tsx";
import { navigate, route } from "../../router.ts";
import { useStore } from "../../store/use-store.ts";

type Field = keyof Guardrails;

const FIELDS: { key: Field; label: string; min: number; max: number; hint: string }[] = [
  { key: "max_turns_task", label: "Max turns (task)", min: 1, max: 500, hint: "Agent turns a task message may take, 1–500." },
  { key: "max_turns_chat", label: "Max turns (chat)", min: 1, max: 500, hint: "Agent turns a chat message may take, 1–500." },
  { key: "execution_timeout_sec", label: "Execution timeout (seconds)", min: 1, max: 86_400, hint: "Wall-clock limit of one turn, 1–86400 s." },
];

/** The field problems of a 400, keyed by field name. */
function fieldErrors(error: unknown): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  if (!(error instanceof ApiFailure)) return out;
  for (const f of error.fields) {
    const key = FIELDS.find((field) => f.path === field.key || f.path.endsWith(`.${field.key}`))?.key;
    if (key) out[key] = f.message;
  }
  if (Object.keys(out).length === 0) {
    const key = FIELDS.find((field) => error.message.includes(field.key))?.key;
    if (key) out[key] = error.message;
  }
  return out;
}

export default function GuardrailsPage() {
  const agentParam = useStore(route, (r) => r.search.get("agent"));
  const agent = agentParam || "claude";
  const known = useStore(app.store, (s) => Object.keys(s.sessions));
  const agents = [...new Set(["claude", agent, ...known])].sort();
  const [values, setValues] = useState<Record<Field, string> | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    document.title = "Guardrails · kon";
    setValues(null);
    setError(null);
    setErrors({});
    app.api.guardrails(agent).then(
      (g) =>
        setValues({ max_turns_task: String(g.max_turns_task), max_turns_chat: String(g.max_turns_chat), execution_timeout_sec: String(g.execution_timeout_sec) }),
      (err: unknown) => setError(messageOf(err)),
    );
  }, [agent]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!values) return;
    setSaved(false);
    const local: Partial<Record<Field, string>> = {};
    const body: Partial<Guardrails> = {};
    for (const f of FIELDS) {
      const n = Number(values[f.key]);
      if (values[f.key].trim() === "" || !Number.isInteger(n) || n < f.min || n > f.max) local[f.key] = `A whole number from ${f.min} to ${f.max}.`;
      else body[f.key] = n;
    }
    setErrors(local);
    setError(null);
    if (Object.keys(local).length > 0) return;
    try {
      await app.api.setGuardrails(agent, body);
      setSaved(true);
    } catch (err) {
      const byField = fieldErrors(err);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setError(messageOf(err));
    }
  };

  return (
    <section class="page">
      <h1>Guardrails</h1>
      <label class="inline-label">
        Agent
        <select value={agent} onChange={(e) => navigate(`/admin/guardrails?agent=${encodeURIComponent(e.currentTarget.value)}`, { replace: true })}>
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote message={error} />
      {values && (
        <form class="card form-grid" onSubmit={save} noValidate>
          {FIELDS.map((f) => (
            <div key={f.key} class="field">
              <label for={`g-${f.key}`}>{f.label}</label>
              <input
                id={`g-${f.key}`}
                type="number"
                inputMode="numeric"
                min={f.min}
                max={f.max}
                step={1}
                required
                value={values[f.key]}
                aria-invalid={errors[f.key] ? "true" : undefined}
                aria-describedby={errors[f.key] ? `g-${f.key}-error` : `g-${f.key}-hint`}
                onInput={(e) => {
                  setValues({ ...values, [f.key]: e.currentTarget.value });
                  setSaved(false);
                }}
              />
              {errors[f.key] ? (
                <p class="error field-error" id={`g-${f.key}-error`}>
                  {errors[f.key]}
                </p>
              ) : (
                <p class="hint" id={`g-${f.key}-hint`}>
                  {f.hint}
                </p>
              )}
            </div>
          ))}
          <div class="form-actions">
            <button type="submit" class="primary">
              Save guardrails
            </button>
            {saved && <span role="status">Saved. New turns of {agent} use these limits.</span>}
          </div>
        </form>
      )}
    </section>
  );
}
