import type { ObservedSession } from "@kon/protocol";
import { formatAgo, formatCost } from "../logic/format.ts";
import { HOST_STATE_LABEL, hostTitle, shortPath } from "../logic/host.ts";
import { ContinueHere } from "./continue-here.tsx";
import { Link } from "./link.tsx";

/** One host session at a glance: where, on which branch and model, doing what, for how much. */
export function HostSessionRow({ session, now }: { session: ObservedSession; now: number }) {
  const title = hostTitle(session);
  const files = session.filesChangedCount;
  return (
    <li class="session-row card host-row" aria-label={title}>
      <div class="session-main">
        <Link href={`/host/${encodeURIComponent(session.id)}`} class="session-title">
          {title}
        </Link>
        <div class="meta">
          <span class={`pill state-${session.state}`}>{HOST_STATE_LABEL[session.state]}</span>
          <span class="mono" title={session.cwd ?? undefined}>
            {shortPath(session.cwd)}
          </span>
          {session.gitBranch && <span title="Git branch">⎇ {session.gitBranch}</span>}
          {session.models.length > 0 && <span title="Models">{session.models.join(", ")}</span>}
          <span class="host-cost" title="Cost so far">
            {formatCost(session.usage.costUsd)}
          </span>
          <span>
            {files} file{files === 1 ? "" : "s"} changed
          </span>
          {session.lastActivityAt && (
            <time dateTime={session.lastActivityAt} title={new Date(session.lastActivityAt).toLocaleString()}>
              {formatAgo(session.lastActivityAt, now)}
            </time>
          )}
        </div>
      </div>
      <ContinueHere hostSessionId={session.id} label={title} />
    </li>
  );
}
