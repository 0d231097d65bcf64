import type { FeatureFlag, FeatureFlagName } from "@kon/protocol";
import { useEffect, useState } from "preact/hooks";
import { app } from "../../app-instance.ts";
import { messageOf } from "../../api/errors.ts";
import { EmptyState } from "../../components/empty-state.tsx";
import { ErrorNote } from "../../components/error-note.tsx";

const FLAG_MEANING: Record<FeatureFlagName, string> = {
  session_tab_enabled: "Agent sessions (this dashboard's Sessions pages and their API) are open; off, they answer 404.",
};

const flagLabel = (f: FeatureFlag) => `${f.name} (${f.agent ?? "all agents"})`;

export default function FlagsPage() {
  const [flags, setFlags] = useState<FeatureFlag[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [agent, setAgent] = useState("");

  const load = () => app.api.flags().then((l) => setFlags(l.flags), (err: unknown) => setError(messageOf(err)));
  useEffect(() => {
    document.title = "Flags · kon";
    void load();
  }, []);

  const set = async (name: FeatureFlagName, enabled: boolean, forAgent: string | null) => {
    setError(null);
    try {
      await app.api.setFlag(name, forAgent ? { enabled, agent: forAgent } : { enabled });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const names = [...new Set((flags ?? []).map((f) => f.name))];
  return (
    <section class="page">
      <h1>Feature flags</h1>
      <p class="muted">An agent's own value wins over the value for all agents.</p>
      <ErrorNote message={error} />
      {flags && flags.length === 0 && <EmptyState>No flags are set; every flag has its default.</EmptyState>}
      {names.map((name) => (
        <fieldset key={name} class="card">
          <legend>{name}</legend>
          <p class="hint">{FLAG_MEANING[name]}</p>
          {(flags ?? [])
            .filter((f) => f.name === name)
            .sort((a, b) => (a.agent ?? "").localeCompare(b.agent ?? ""))
            .map((f) => (
              <label key={f.agent ?? ""} class="check">
                <input type="checkbox" checked={f.enabled} onChange={(e) => void set(f.name, e.currentTarget.checked, f.agent)} />
                {flagLabel(f)}
              </label>
            ))}
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const a = agent.trim();
              if (a) void set(name, true, a).then(() => setAgent(""));
            }}
          >
            <label>
              Agent override
              <input value={agent} placeholder="agent name" onInput={(e) => setAgent(e.currentTarget.value)} />
            </label>
            <button type="submit" class="quiet">
              Add override
            </button>
          </form>
        </fieldset>
      ))}
    </section>
  );
}
