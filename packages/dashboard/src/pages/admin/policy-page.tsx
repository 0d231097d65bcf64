import type { PolicyVerdict } from "@kon/protocol";
import { useEffect, useState } from "preact/hooks";
import { app } from "../../app-instance.ts";
import { ApiFailure, messageOf } from "../../api/errors.ts";
import { ErrorNote } from "../../components/error-note.tsx";
import { parseJsonObject } from "../../logic/decision-view.ts";
import { draftOf, policyFromDraft, ruleLines, TIMEOUT_MAX, TIMEOUT_MIN, verdictSentence, type PolicyDraft, type PolicyField } from "../../logic/policy-form.ts";
import { navigate, route } from "../../router.ts";
import { useStore } from "../../store/use-store.ts";

const FIELDS: { key: PolicyField; label: string; hint: string; rows?: number }[] = [
  { key: "allow", label: "Allow rules", rows: 5, hint: "One rule a line, in the CLI's syntax: Bash(git status:*), Edit(src/**), WebFetch(domain:example.com). Matching calls run without asking." },
  { key: "deny", label: "Deny rules", rows: 4, hint: "One rule a line. Matching calls are refused without asking; deny wins over allow." },
  { key: "approvers", label: "Approvers", hint: "Usernames who may answer this agent's requests besides the session's owner and admins, separated by commas." },
  { key: "timeoutSec", label: "Timeout (seconds)", hint: `An unanswered request is denied after this long, ${TIMEOUT_MIN}–${TIMEOUT_MAX} s.` },
];

interface ControlProps {
  field: (typeof FIELDS)[number];
  value: string;
  error: string | undefined;
  onInput(value: string): void;
}

function FieldControl({ field, value, error, onInput }: ControlProps) {
  const common = {
    id: `p-${field.key}`,
    value,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": error ? `p-${field.key}-error` : `p-${field.key}-hint`,
  };
  if (field.rows) return <textarea {...common} class="mono" rows={field.rows} spellcheck={false} onInput={(e) => onInput(e.currentTarget.value)} />;
  if (field.key === "timeoutSec")
    return <input {...common} type="number" inputMode="numeric" min={TIMEOUT_MIN} max={TIMEOUT_MAX} step={1} onInput={(e) => onInput(e.currentTarget.value)} />;
  return <input {...common} type="text" autoComplete="off" onInput={(e) => onInput(e.currentTarget.value)} />;
}

/** The problems of a 400, by the field they are about (`allow.3` is about the allow rules). */
function fieldErrors(error: unknown): Partial<Record<PolicyField, string>> {
  const out: Partial<Record<PolicyField, string>> = {};
  if (!(error instanceof ApiFailure)) return out;
  for (const f of error.fields) {
    const key = FIELDS.find((field) => f.path === field.key || f.path.startsWith(`${field.key}.`) || f.path.includes(`.${field.key}`))?.key;
    if (key) out[key] = f.message;
  }
  return out;
}

function DryRun({ agent, draft }: { agent: string; draft: PolicyDraft }) {
  const [toolName, setToolName] = useState("Bash");
  const [input, setInput] = useState('{\n  "command": "git status"\n}');
  const [inputError, setInputError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<PolicyVerdict | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (event: Event) => {
    event.preventDefault();
    setVerdict(null);
    setError(null);
    const parsed = parseJsonObject(input);
    if (!parsed.ok) {
      setInputError(parsed.error);
      return;
    }
    setInputError(null);
    try {
      const rules = { allow: ruleLines(draft.allow), deny: ruleLines(draft.deny) };
      setVerdict(await app.api.dryRunPolicy(agent, { toolName: toolName.trim(), input: parsed.value, rules }));
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <form class="card form-grid dry-run" onSubmit={run} noValidate aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">Try the rules</h2>
      <p class="hint">What the rules above (as written, saved or not) decide for one tool call.</p>
      <div class="field">
        <label for="dry-tool">Tool</label>
        <input id="dry-tool" value={toolName} required onInput={(e) => setToolName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="dry-input">Tool input (JSON)</label>
        <textarea
          id="dry-input"
          class="mono"
          rows={4}
          spellcheck={false}
          value={input}
          aria-invalid={inputError ? "true" : undefined}
          aria-describedby={inputError ? "dry-input-error" : undefined}
          onInput={(e) => setInput(e.currentTarget.value)}
        />
        {inputError && (
          <p class="error field-error" id="dry-input-error">
            {inputError}
          </p>
        )}
      </div>
      <div class="form-actions">
        <button type="submit" disabled={!toolName.trim()}>
          Try these rules
        </button>
        {verdict && (
          <span role="status" aria-label="Verdict" class={`verdict verdict-${verdict.decision}`}>
            {verdictSentence(verdict)}
          </span>
        )}
      </div>
      <ErrorNote message={error} />
    </form>
  );
}

export default function PolicyPage() {
  const agentParam = useStore(route, (r) => r.search.get("agent"));
  const agent = agentParam || "claude";
  const known = useStore(app.store, (s) => Object.keys(s.sessions));
  const agents = [...new Set(["claude", agent, ...known])].sort();
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<PolicyField, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    document.title = "Policy · kon";
    setDraft(null);
    setError(null);
    setErrors({});
    setSaved(false);
    app.api.policy(agent).then(
      (policy) => setDraft(draftOf(policy)),
      (err: unknown) => setError(messageOf(err)),
    );
  }, [agent]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!draft) return;
    setSaved(false);
    setError(null);
    const result = policyFromDraft(draft);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    try {
      setDraft(draftOf(await app.api.setPolicy(agent, result.body)));
      setSaved(true);
    } catch (err) {
      const byField = fieldErrors(err);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setError(messageOf(err));
    }
  };

  return (
    <section class="page">
      <h1>Tool policy</h1>
      <p class="muted">Decided before anyone is asked: calls an allow rule matches run, calls a deny rule matches are refused, anything else waits in the inbox.</p>
      <label class="inline-label">
        Agent
        <select value={agent} onChange={(e) => navigate(`/admin/policy?agent=${encodeURIComponent(e.currentTarget.value)}`, { replace: true })}>
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote message={error} />
      {draft && (
        <form class="card form-grid policy-form" onSubmit={save} noValidate>
          {FIELDS.map((f) => (
            <div key={f.key} class="field">
              <label for={`p-${f.key}`}>{f.label}</label>
              <FieldControl field={f} value={draft[f.key]} error={errors[f.key]} onInput={(value) => {
                setDraft({ ...draft, [f.key]: value });
                setSaved(false);
              }} />
              {errors[f.key] ? (
                <p class="error field-error" id={`p-${f.key}-error`}>
                  {errors[f.key]}
                </p>
              ) : (
                <p class="hint" id={`p-${f.key}-hint`}>
                  {f.hint}
                </p>
              )}
            </div>
          ))}
          <div class="form-actions">
            <button type="submit" class="primary">
              Save policy
            </button>
            {saved && <span role="status">Saved. {agent}'s next tool calls follow these rules.</span>}
          </div>
        </form>
      )}
      {draft && <DryRun agent={agent} draft={draft} />}
    </section>
  );
}
