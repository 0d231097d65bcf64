import { app } from "../app-instance.ts";
import { useStore } from "../store/use-store.ts";

const LABEL = { live: "Live", reconnecting: "Reconnecting…", offline: "Offline" } as const;

export function ConnectionStatus() {
  const state = useStore(app.store, (s) => s.connection);
  return (
    <span class={`connection connection-${state}`} role="status" aria-label="Connection">
      {LABEL[state]}
    </span>
  );
}
