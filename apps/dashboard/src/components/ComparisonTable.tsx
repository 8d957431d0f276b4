import { formatPercent, formatPercentInterval } from "../lib/format";
import { describeZeroSide, zeroSide } from "../lib/zero-side";

/** A paired difference measure(a) − measure(b) as the server gives it (value null: the study could not compute it). */
export interface ComparisonRow {
  name: string;
  value: number | null;
  ci95: readonly number[] | null;
  compares: readonly string[];
  description: string;
}

function Compared({ row, measure }: { row: ComparisonRow; measure: string }) {
  const [a, b] = row.compares;
  return (
    <div className="cell-note">
      {a && b ? `${measure}(${a}) − ${measure}(${b}). ` : ""}
      {row.description}
    </div>
  );
}

/** Paired differences with their 95% CI, whether the CI excludes 0, and what each one compares. */
export function ComparisonTable({
  caption,
  rows,
  measure,
  testId,
  missing = "not in this study's report",
}: {
  caption: string;
  rows: readonly ComparisonRow[];
  /** What is differenced: ER or EV. */
  measure: string;
  testId: string;
  /** Shown in place of a comparison the study could not compute. */
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
        {rows.map((row) => {
          const side = zeroSide(row.ci95);
          return (
            <tr key={row.name} data-testid={`${testId}-row`} data-key={row.name}>
              <th scope="row">
                <span className="mono">{row.name}</span>
                <Compared row={row} measure={measure} />
              </th>
              {row.value !== null ? (
                <>
                  <td className="numeric">{formatPercent(row.value, 2)}</td>
                  <td className="numeric">{formatPercentInterval(row.ci95)}</td>
                  <td className={`nowrap${side === "above" ? " ok-text" : side === "below" ? " error-text" : ""}`}>
                    {describeZeroSide(side)}
                  </td>
                </>
              ) : (
                <td colSpan={3} className="muted">
                  {missing}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
