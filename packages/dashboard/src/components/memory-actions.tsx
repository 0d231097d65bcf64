import { useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { navigate } from "../router.ts";
import { ErrorNote } from "./error-note.tsx";

/** Reset memory and New session side by side, with what each keeps. */
export function MemoryActions({ agent }: { agent: string }) {
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await action();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const reset = () =>
    run(async () => {
      await app.resetMemory();
      setNote("Memory reset: the agent starts its next reply without this conversation.");
    });
  const startNew = () =>
    run(async () => {
      const session = await app.createSession(agent);
      navigate(`/sessions/${encodeURIComponent(agent)}/${encodeURIComponent(session.id)}`);
    });

  return (
    <div class="memory-actions">
      <div class="buttons">
        <button type="button" disabled={busy} onClick={() => void reset()}>
          Reset memory
        </button>
        <button type="button" disabled={busy} onClick={() => void startNew()}>
          New session
        </button>
      </div>
      <p class="hint" id="memory-actions-hint">
        <strong>Reset memory</strong> keeps this log and its cost, but the agent forgets the conversation.{" "}
        <strong>New session</strong> starts an empty log at $0.
      </p>
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
