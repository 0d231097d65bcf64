import type { InboxItem, Kontask } from "@kon/protocol";
import { useEffect } from "preact/hooks";
import { app } from "../app-instance.ts";
import { DecisionCard } from "../components/decision-card.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { KontaskStatusPill } from "../components/kontask-status.tsx";
import { Link } from "../components/link.tsx";
import { useNow } from "../components/use-now.ts";
import { formatAgo } from "../logic/format.ts";
import { inboxItemKey, inboxWithAnsweredElsewhere } from "../store/inbox.ts";
import { useStore } from "../store/use-store.ts";

function KontaskItem({ kontask, now }: { kontask: Kontask; now: number }) {
  return (
    <div class="kontask-row" role="group" aria-label={`Kontask: ${kontask.title}`}>
      <Link href={`/kontasks/${encodeURIComponent(kontask.id)}`} class="kontask-title">
        {kontask.title}
      </Link>
      <div class="meta">
        <KontaskStatusPill status={kontask.status} />
        <span>by {kontask.createdBy}</span>
        <time dateTime={kontask.updatedAt}>{formatAgo(kontask.updatedAt, now)}</time>
      </div>
      {kontask.description && <p class="muted small clamp">{kontask.description}</p>}
    </div>
  );
}

function Item({ item, now }: { item: InboxItem; now: number }) {
  return (
    <li class="card inbox-item">
      {item.kind === "decision" ? <DecisionCard decision={item.decision} showSession /> : <KontaskItem kontask={item.kontask} now={now} />}
    </li>
  );
}

/** Everything that waits for the person, newest first: tool approvals, agent questions, kontasks awaiting input. */
export function InboxPage() {
  const inbox = useStore(app.store, (s) => s.inbox);
  const answeredElsewhere = useStore(app.store, (s) => s.answeredElsewhere);
  const now = useNow();
  useEffect(() => {
    document.title = "Inbox · kon";
    void app.loadInbox();
  }, []);
  const items = inbox.items ? inboxWithAnsweredElsewhere(inbox.items, answeredElsewhere) : null;

  return (
    <section class="page">
      <div class="page-head">
        <h1>Inbox</h1>
      </div>
      <p class="muted">Tool calls waiting for approval, questions from agents and kontasks waiting for your input. Answered ones leave, here and on your other devices.</p>
      <ErrorNote message={inbox.error} />
      {items === null && !inbox.error && <p class="muted">Loading…</p>}
      {items && items.length === 0 && <EmptyState>Nothing waits for you.</EmptyState>}
      {items && items.length > 0 && (
        <ul class="inbox-list" aria-label="Waiting for you">
          {items.map((item) => (
            <Item key={inboxItemKey(item)} item={item} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
