import type { EvidenceFieldsFragment } from "@interlace/schema";
import { formatNumber, formatPercent, formatPercentInterval } from "../lib/format";

/** The residual-SAE control at each sparsity penalty λ: a denser residual SAE explains more, so read ER with L0. */
export function ResidualSaeSweepTable({ runs }: { runs: EvidenceFieldsFragment["residualSaeByL1"] }) {
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
        {runs.map((run) => (
          <tr key={run.l1} data-testid="residual-sae-row">
            <th scope="row" className="numeric">
              {formatNumber(run.l1, 4)}
              {run.main ? <span className="muted"> (main)</span> : null}
            </th>
            <td className="numeric">{formatPercent(run.er, 2)}</td>
            <td className="numeric">{formatPercentInterval(run.ci95)}</td>
            <td className="numeric">{formatNumber(run.l0, 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
