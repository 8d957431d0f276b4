import { formatPercent, formatPercentInterval } from "../lib/format";
import type { Estimate } from "../lib/report";
import { describeZeroSide, type ZeroSide } from "../lib/report-gains";

export interface ComparisonRow {
  key: string;
  compares: string;
  estimate: Estimate | null;
  zeroSide: ZeroSide | null;
}

/** Paired differences with their 95% CI, whether the CI excludes 0, and what each one compares. */
export function ComparisonTable({
  caption,
  rows,
  testId,
  missing = "not in this study's report",
}: {
  caption: string;
  rows: readonly ComparisonRow[];
  testId: string;
  /** Shown in place of a comparison the report lacks. */
  missing?: string;
}) {
  return (
    <table className="table evidence-table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Comparison</th>
          <th scope="col" className="numeric">
            Value
          </th>
          <th scope="col" className="numeric">
            95% CI
          </th>
          <th scope="col">CI excludes 0</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, compares, estimate, zeroSide }) => (
          <tr key={key} data-testid={`${testId}-row`} data-key={key}>
            <th scope="row">
              <span className="mono">{key}</span>
              <div className="cell-note">{compares}</div>
            </th>
            {estimate ? (
              <>
                <td className="numeric">{formatPercent(estimate.value, 2)}</td>
                <td className="numeric">{formatPercentInterval(estimate.ci95)}</td>
                <td
                  className={`nowrap${zeroSide === "above" ? " ok-text" : zeroSide === "below" ? " error-text" : ""}`}
                >
                  {describeZeroSide(zeroSide)}
                </td>
              </>
            ) : (
              <td colSpan={3} className="muted">
                {missing}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
