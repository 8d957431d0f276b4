import { formatNumber, formatPercent, formatPercentInterval } from "../lib/format";
import type { ResidualSaeSweep } from "../lib/report";

/** The residual-SAE control at each sparsity penalty λ: a denser residual SAE explains more, so read ER with L0. */
export function ResidualSaeSweepTable({ sweep }: { sweep: ResidualSaeSweep }) {
  return (
    <table className="table evidence-table table-compact" data-testid="residual-sae-table">
      <caption className="visually-hidden">Residual SAE error reduction by λ</caption>
      <thead>
        <tr>
          <th scope="col" className="numeric">
            λ
          </th>
          <th scope="col" className="numeric">
            ER
          </th>
          <th scope="col" className="numeric">
            95% CI
          </th>
          <th scope="col" className="numeric">
            L0
          </th>
        </tr>
      </thead>
      <tbody>
        {sweep.rows.map((row) => (
          <tr key={row.l1} data-testid="residual-sae-row">
            <th scope="row" className="numeric">
              {formatNumber(row.l1, 4)}
              {row.l1 === sweep.mainL1 ? <span className="muted"> (main)</span> : null}
            </th>
            <td className="numeric">{formatPercent(row.er, 2)}</td>
            <td className="numeric">{formatPercentInterval(row.ci95)}</td>
            <td className="numeric">{formatNumber(row.l0, 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
