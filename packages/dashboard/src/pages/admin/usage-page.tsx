import type { UsageReport, UsageRow } from "@kon/protocol";
import { useEffect, useMemo, useState } from "preact/hooks";
import { app } from "../../app-instance.ts";
import { messageOf } from "../../api/errors.ts";
import { EmptyState } from "../../components/empty-state.tsx";
import { ErrorNote } from "../../components/error-note.tsx";
import { UsageChart } from "../../components/usage-chart.tsx";
import { formatCost, formatCount } from "../../logic/format.ts";
import { usageByDay, usageTotals, type UsageTotal } from "../../logic/usage.ts";

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const money = (v: number) => formatCost(v);
const count = (v: number) => formatCount(Math.round(v));

function TotalsTable({ caption, rows }: { caption: string; rows: UsageTotal[] }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Turns</th>
            <th scope="col">Cost</th>
            <th scope="col">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td>{r.name}</td>
              <td>{r.turns}</td>
              <td>{formatCost(r.costUsd)}</td>
              <td>{formatCount(r.tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const BILLING_LABEL: Record<UsageRow["billing"], string> = { api: "API key", subscription: "Subscription login", unknown: "Unknown" };

export default function UsagePage() {
  const [since, setSince] = useState(isoDay(-29));
  const [until, setUntil] = useState(isoDay(0));
  const [report, setReport] = useState<UsageReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = "Usage · kon";
    setError(null);
    app.api.usage(since, until).then(setReport, (err: unknown) => setError(messageOf(err)));
  }, [since, until]);

  const charts = useMemo(() => {
    if (!report) return null;
    const { rows } = report;
    return {
      costAll: usageByDay(rows, report.since, report.until, "cost", "all"),
      tokensAll: usageByDay(rows, report.since, report.until, "tokens", "all"),
      costUser: usageByDay(rows, report.since, report.until, "cost", "user"),
      costAgent: usageByDay(rows, report.since, report.until, "cost", "agent"),
      tokensUser: usageByDay(rows, report.since, report.until, "tokens", "user"),
      tokensAgent: usageByDay(rows, report.since, report.until, "tokens", "agent"),
      users: usageTotals(rows, "user"),
      agents: usageTotals(rows, "agent"),
    };
  }, [report]);

  return (
    <section class="page">
      <h1>Usage</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={since} max={until} onChange={(e) => e.currentTarget.value && setSince(e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" value={until} min={since} onChange={(e) => e.currentTarget.value && setUntil(e.currentTarget.value)} />
        </label>
      </form>
      <ErrorNote message={error} />
      {!report && !error && <p class="muted">Loading usage…</p>}
      {report && charts && report.rows.length === 0 && <EmptyState>No turns between {report.since} and {report.until} (UTC days).</EmptyState>}
      {report && charts && report.rows.length > 0 && (
        <>
          <div class="charts">
            <UsageChart title="Cost per day" data={charts.costAll} format={money} />
            <UsageChart title="Tokens per day" data={charts.tokensAll} format={count} />
            <UsageChart title="Cost per day by user" data={charts.costUser} format={money} />
            <UsageChart title="Cost per day by agent" data={charts.costAgent} format={money} />
            <UsageChart title="Tokens per day by user" data={charts.tokensUser} format={count} />
            <UsageChart title="Tokens per day by agent" data={charts.tokensAgent} format={count} />
          </div>
          <TotalsTable caption="Per user" rows={charts.users} />
          <TotalsTable caption="Per agent" rows={charts.agents} />
          <details>
            <summary>Per day (table)</summary>
            <div class="table-wrap">
              <table>
                <caption>Per day, user and agent</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">User</th>
                    <th scope="col">Agent</th>
                    <th scope="col">Billed to</th>
                    <th scope="col">Turns</th>
                    <th scope="col">Cost</th>
                    <th scope="col">Tokens</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((r) => (
                    <tr key={`${r.day}|${r.userId}|${r.agent}|${r.billing}`}>
                      <td>{r.day}</td>
                      <td>{r.username ?? "(deleted user)"}</td>
                      <td>{r.agent}</td>
                      <td>{BILLING_LABEL[r.billing]}</td>
                      <td>{r.turns}</td>
                      <td>{formatCost(r.costUsd)}</td>
                      <td>{formatCount(r.tokens.input + r.tokens.output + r.tokens.cacheRead + r.tokens.cacheCreation)}</td>
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
