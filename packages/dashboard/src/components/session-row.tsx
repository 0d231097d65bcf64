import type { AgentSession } from "@kon/protocol";
import { useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { formatAgo, formatCost } from "../logic/format.ts";
import { ErrorNote } from "./error-note.tsx";
import { Link } from "./link.tsx";
import { RenameForm } from "./rename-form.tsx";
import { hotLabel, sessionTitle, STATE_LABEL } from "./session-labels.ts";

export function SessionRow({ session, now }: { session: AgentSession; now: number }) {
  const [mode, setMode] = useState<"view" | "rename" | "confirm-delete">("view");
  const [error, setError] = useState<string | null>(null);
  const hot = hotLabel(session.hot);
  const title = sessionTitle(session);

  const remove = async () => {
    try {
      await app.deleteSession(session.agent, session.id);
    } catch (err) {
      setError(messageOf(err));
      setMode("view");
    }
  };

  return (
    <li class="session-row card">
      <div class="session-main">
        <Link href={`/sessions/${encodeURIComponent(session.agent)}/${encodeURIComponent(session.id)}`} class="session-title">
          {title}
        </Link>
        <div class="meta">
          <span class={`pill state-${session.state}`}>{STATE_LABEL[session.state]}</span>
          <span class={`pill ${session.hot ? "hot" : "cold"}`} title={hot.title}>
            {hot.text}
          </span>
          <span title="Cost so far">{formatCost(session.totalCostUsd)}</span>
          <span>
            {session.messageCount} message{session.messageCount === 1 ? "" : "s"}
          </span>
          <time dateTime={session.lastActivityAt} title={new Date(session.lastActivityAt).toLocaleString()}>
            {formatAgo(session.lastActivityAt, now)}
          </time>
        </div>
      </div>
      {mode === "view" && (
        <div class="row-actions">
          <button type="button" class="quiet" onClick={() => setMode("rename")}>
            Rename session
          </button>
          <button type="button" class="quiet danger" onClick={() => setMode("confirm-delete")}>
            Delete session
          </button>
        </div>
      )}
      {mode === "rename" && (
        <RenameForm title={session.title} onSave={(t) => app.renameSession(session.agent, session.id, t)} onDone={() => setMode("view")} />
      )}
      {mode === "confirm-delete" && (
        <div class="confirm">
          <span>Delete “{title}” and its messages? This cannot be undone.</span>
          <button type="button" class="danger" onClick={() => void remove()}>
            Delete
          </button>
          <button type="button" class="quiet" onClick={() => setMode("view")}>
            Cancel
          </button>
        </div>
      )}
      <ErrorNote message={error} />
    </li>
  );
}
