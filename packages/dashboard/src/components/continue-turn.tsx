import { useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { ErrorNote } from "./error-note.tsx";

const DEFAULT_MORE = 10;

/** Under a turn that hit its turn limit: resume it for N more turns, in the same conversation. */
export function ContinueTurn({ turnId }: { turnId: string }) {
  const [more, setMore] = useState(String(DEFAULT_MORE));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const n = Number(more);
  const valid = Number.isInteger(n) && n >= 1 && n <= 500;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!valid) return setError("A whole number of turns from 1 to 500.");
    setBusy(true);
    setError(null);
    try {
      await app.continueAfterCap(turnId, n);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="continue-turn" onSubmit={submit} noValidate>
      <label>
        More turns
        <input type="number" inputMode="numeric" min={1} max={500} step={1} value={more} onInput={(e) => setMore(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={busy}>
        Continue {valid ? n : "N"} more turn{n === 1 ? "" : "s"}
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
