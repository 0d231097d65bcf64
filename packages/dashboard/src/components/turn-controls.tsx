import { useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { useStore } from "../store/use-store.ts";
import { ErrorNote } from "./error-note.tsx";

function stateText(active: { status: "queued" | "running"; queuePosition: number | null } | null): string {
  if (!active) return "";
  if (active.status === "running") return "Running";
  return active.queuePosition ? `Queued (position ${active.queuePosition})` : "Queued";
}

/** What the active turn is doing, and the Interrupt button while there is one. */
export function TurnControls() {
  const active = useStore(app.store, (s) => {
    const a = s.log?.active;
    return a ? `${a.turnId}|${a.status}|${a.queuePosition ?? ""}` : null;
  });
  const current = app.store.get().log?.active ?? null;
  const [error, setError] = useState<string | null>(null);
  const interrupt = async () => {
    setError(null);
    try {
      await app.interrupt();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <div class="turn-controls">
      <span role="status" aria-label="Turn state" class={active ? "turn-state busy" : "turn-state"}>
        {stateText(current)}
      </span>
      {active && (
        <button type="button" class="danger" onClick={() => void interrupt()}>
          Interrupt
        </button>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
