import { useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { navigate } from "../router.ts";
import { ErrorNote } from "./error-note.tsx";

/** "Continue here": a new agent session that resumes this host session under konsole, opened. */
export function ContinueHere({ hostSessionId, label }: { hostSessionId: string; label: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const adopt = async () => {
    setBusy(true);
    setError(null);
    try {
      const session = await app.adoptHostSession(hostSessionId);
      navigate(`/sessions/${encodeURIComponent(session.agent)}/${encodeURIComponent(session.id)}`);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <div class="continue-here">
      <button
        type="button"
        disabled={busy}
        aria-label={`Continue “${label}” here`}
        title="A new session here that resumes this conversation; the terminal's own history stays as it is."
        onClick={() => void adopt()}
      >
        Continue here
      </button>
      <ErrorNote message={error} />
    </div>
  );
}
