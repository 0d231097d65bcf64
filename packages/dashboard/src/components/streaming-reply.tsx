import { app } from "../app-instance.ts";
import { useStore } from "../store/use-store.ts";
import { DecisionList } from "./decision-card.tsx";
import { useFollowBottom } from "./follow-bottom.ts";
import { ToolCallList } from "./tool-call-item.tsx";

/** The reply of the active turn as it is produced; the only part of the log a streamed delta re-renders. */
export function StreamingReply({ agent }: { agent: string }) {
  const active = useStore(app.store, (s) => s.log?.active ?? null);
  const calls = useStore(app.store, (s) => (active ? s.log?.toolCalls[active.turnId] : undefined));
  const decisions = useStore(app.store, (s) => (active ? s.log?.decisions[active.turnId] : undefined));
  useFollowBottom(`${active?.partialText.length}:${calls?.length}:${decisions?.length}`);
  if (!active) return null;
  const waiting = active.status === "queued";
  return (
    <article class="message from-agent streaming" aria-busy="true">
      <header class="message-head">
        <strong>{agent}</strong>
        <span class="muted">{waiting ? "waiting for its turn…" : "working…"}</span>
      </header>
      <ToolCallList calls={calls} />
      <DecisionList decisions={decisions} />
      {active.partialText ? <div class="text">{active.partialText}</div> : !waiting && <div class="typing" aria-hidden="true" />}
    </article>
  );
}
