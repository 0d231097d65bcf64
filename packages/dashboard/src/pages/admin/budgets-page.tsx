import type { Budgets, UpdateBudgetsRequest } from "@kon/protocol";
import { useEffect, useState } from "preact/hooks";
import { app } from "../../app-instance.ts";
import { messageOf } from "../../api/errors.ts";
import { ErrorNote } from "../../components/error-note.tsx";

type Field = keyof Budgets;

const FIELDS: { key: Field; label: string; hint: string }[] = [
  { key: "turn_usd", label: "Per turn", hint: "What one turn may spend." },
  { key: "session_usd", label: "Per session", hint: "What one session may spend in all." },
  { key: "user_day_usd", label: "Per user per day", hint: "What one person's turns may spend in a UTC day." },
  { key: "user_month_usd", label: "Per user per month", hint: "What one person's turns may spend in a UTC month." },
  { key: "agent_day_usd", label: "Per agent per day", hint: "What each agent's turns may spend in a UTC day, everyone's together." },
];

const asText = (budgets: Budgets): Record<Field, string> =>
  Object.fromEntries(FIELDS.map((f) => [f.key, budgets[f.key] === null ? "" : String(budgets[f.key])])) as Record<Field, string>;

export default function BudgetsPage() {
  const [values, setValues] = useState<Record<Field, string> | null>(null);
  const [invalid, setInvalid] = useState<Partial<Record<Field, true>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    document.title = "Budgets · kon";
    app.api.budgets().then(
      (b) => setValues(asText(b)),
      (err: unknown) => setError(messageOf(err)),
    );
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!values) return;
    setSaved(false);
    const body: UpdateBudgetsRequest = {};
    const bad: Partial<Record<Field, true>> = {};
    for (const f of FIELDS) {
      const text = values[f.key].trim();
      const usd = Number(text);
      if (text === "") body[f.key] = null;
      else if (Number.isFinite(usd) && usd > 0) body[f.key] = usd;
      else bad[f.key] = true;
    }
    setInvalid(bad);
    setError(null);
    if (Object.keys(bad).length > 0) return;
    try {
      setValues(asText(await app.api.setBudgets(body)));
      setSaved(true);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section class="page">
      <h1>Budgets</h1>
      <p class="hint">Dollar limits on what turns may spend; leave a field empty to turn that budget off. A turn that would start over one is refused; a running turn is stopped when it reaches what was left.</p>
      <ErrorNote message={error} />
      {values && (
        <form class="card form-grid" onSubmit={save} noValidate>
          {FIELDS.map((f) => (
            <div key={f.key} class="field">
              <label for={`b-${f.key}`}>{f.label} (USD)</label>
              <input
                id={`b-${f.key}`}
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                placeholder="off"
                value={values[f.key]}
                aria-invalid={invalid[f.key] ? "true" : undefined}
                aria-describedby={`b-${f.key}-hint`}
                onInput={(e) => {
                  setValues({ ...values, [f.key]: e.currentTarget.value });
                  setSaved(false);
                }}
              />
              <p class={invalid[f.key] ? "error field-error" : "hint"} id={`b-${f.key}-hint`}>
                {invalid[f.key] ? "An amount above 0, or empty for no limit." : f.hint}
              </p>
            </div>
          ))}
          <div class="form-actions">
            <button type="submit" class="primary">
              Save budgets
            </button>
            {saved && <span role="status">Saved. New turns are held to these limits.</span>}
          </div>
        </form>
      )}
    </section>
  );
}
