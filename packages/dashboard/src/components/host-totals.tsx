import type { ObservedUsageReport } from "@kon/protocol";
import { formatCost, formatCount } from "../logic/format.ts";
import { tokenTotal } from "../logic/host.ts";

/** Usage rows (per project or per day) as a table, most recent or most costly first as given. */
export function HostTotals({ caption, keyLabel, report }: { caption: string; keyLabel: string; report: ObservedUsageReport }) {
  if (report.rows.length === 0) return <p class="muted">{caption}: no usage yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col">Cost</th>
            <th scope="col">Tokens</th>
            <th scope="col">API messages</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr key={row.key}>
              <td class="mono">{row.key}</td>
              <td>{formatCost(row.costUsd)}</td>
              <td>{formatCount(tokenTotal(row.tokens))}</td>
              <td>{row.messages}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{formatCost(report.totals.costUsd)}</td>
            <td>{formatCount(tokenTotal(report.totals.tokens))}</td>
            <td>{report.totals.messages}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
