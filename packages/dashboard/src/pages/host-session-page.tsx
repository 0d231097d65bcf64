import type { ObservedSessionDetail } from "@kon/protocol";
import { useEffect, useMemo } from "preact/hooks";
import { app } from "../app-instance.ts";
import { ContinueHere } from "../components/continue-here.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { Link } from "../components/link.tsx";
import { TimeChart } from "../components/time-chart.tsx";
import { useLiveRead } from "../components/use-live-read.ts";
import { formatCost, formatCount } from "../logic/format.ts";
import { HOST_STATE_LABEL, hourSeries, hostTitle, tokenTotal } from "../logic/host.ts";
import { useStore } from "../store/use-store.ts";

const money = (v: number) => formatCost(v);
const count = (v: number) => formatCount(Math.round(v));

function Figures({ session }: { session: ObservedSessionDetail }) {
  const { tokens } = session.usage;
  const items: [string, string][] = [
    ["Cost", formatCost(session.usage.costUsd)],
    ["Tokens", formatCount(tokenTotal(tokens))],
    ["Input / output", `${formatCount(tokens.input)} / ${formatCount(tokens.output)}`],
    ["Cache read", formatCount(tokens.cacheRead)],
    ["Cache write (5 min / 1 h)", `${formatCount(tokens.cacheWrite5m)} / ${formatCount(tokens.cacheWrite1h)}`],
    ["API messages", String(session.usage.messages)],
    ["Sub-agents", `${formatCost(session.sidechainUsage.costUsd)} · ${session.sidechainUsage.messages} messages`],
  ];
  if (session.usage.unpricedMessages > 0) items.push(["Not priced (unknown model)", `${session.usage.unpricedMessages} messages`]);
  return (
    <dl class="figures-grid">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function CountTable({ caption, head, rows }: { caption: string; head: [string, string]; rows: [string, number][] }) {
  if (rows.length === 0) return <p class="muted">{caption}: none.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head[0]}</th>
            <th scope="col">{head[1]}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, n]) => (
            <tr key={name}>
              <td class="mono">{name}</td>
              <td>{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One host session: where and what, tokens and cost per hour, files it changed; live. */
export default function HostSessionPage({ id }: { id: string }) {
  const version = useStore(app.store, (s) => s.host.versions[id] ?? 0);
  const detail = useLiveRead(() => app.api.hostSession(id), id, version);
  const session = detail.data;
  const series = useMemo(() => (session ? hourSeries(session.usageSeries) : null), [session]);
  const title = session ? hostTitle(session) : "Host session";

  useEffect(() => {
    document.title = `${title} · Host · kon`;
  }, [title]);

  return (
    <section class="page">
      <Link href="/host" class="back">
        ← Host
      </Link>
      <div class="page-head">
        <h1>{title}</h1>
        {session && <ContinueHere hostSessionId={session.id} label={title} />}
      </div>
      <ErrorNote message={detail.error} />
      {!session && !detail.error && <p class="muted">Loading the session…</p>}
      {session && series && (
        <>
          <div class="meta">
            <span class={`pill state-${session.state}`}>{HOST_STATE_LABEL[session.state]}</span>
            <span class="mono">{session.cwd ?? "unknown folder"}</span>
            {session.gitBranch && <span title="Git branch">⎇ {session.gitBranch}</span>}
            {session.models.length > 0 && <span title="Models">{session.models.join(", ")}</span>}
            <span class="mono" title="Claude session id">
              {session.id}
            </span>
            {session.konsoleSessionId && <span>run by konsole for an agent session</span>}
          </div>
          <Figures session={session} />
          {series.xs.length === 0 ? (
            <EmptyState>No API usage recorded for this session yet.</EmptyState>
          ) : (
            <div class="charts">
              <TimeChart title="Cost per hour" xs={series.xs} series={[{ name: "cost", values: series.cost }]} format={money} />
              <TimeChart title="Tokens per hour" xs={series.xs} series={[{ name: "tokens", values: series.tokens }]} format={count} />
            </div>
          )}
          <CountTable caption="Files changed" head={["File", "Edits"]} rows={session.filesChanged.map((f) => [f.path, f.count])} />
          <CountTable
            caption="Tool calls"
            head={["Tool", "Calls"]}
            rows={Object.entries(session.toolCalls).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))}
          />
          <details>
            <summary>Per hour (table)</summary>
            <div class="table-wrap">
              <table>
                <caption>Per hour (UTC)</caption>
                <thead>
                  <tr>
                    <th scope="col">Hour</th>
                    <th scope="col">Cost</th>
                    <th scope="col">Tokens</th>
                    <th scope="col">API messages</th>
                  </tr>
                </thead>
                <tbody>
                  {session.usageSeries.map((row) => (
                    <tr key={row.key}>
                      <td>{row.key}</td>
                      <td>{formatCost(row.costUsd)}</td>
                      <td>{formatCount(tokenTotal(row.tokens))}</td>
                      <td>{row.messages}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
