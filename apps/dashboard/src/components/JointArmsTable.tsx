import { formatNumber, formatPercent, formatPercentInterval } from "../lib/format";
import type { JointArm } from "../lib/report";

function l0Text(arm: JointArm): string {
  if (arm.l0Change === null) return formatNumber(arm.l0, 1);
  const sign = arm.l0Change > 0 ? "+" : "";
  return `${formatNumber(arm.l0, 1)} (${sign}${formatNumber(arm.l0Change, 1)})`;
}

/** Each jointly fine-tuned arm: EV of SAE + head, EV of the SAE part alone, and L0 with its change. */
export function JointArmsTable({ arms }: { arms: readonly JointArm[] }) {
  return (
    <table className="table evidence-table" data-testid="joint-arms-table">
      <caption className="visually-hidden">Jointly fine-tuned arms</caption>
      <thead>
        <tr>
          <th scope="col">Arm</th>
          <th scope="col" className="numeric">
            Explained variance
          </th>
          <th scope="col" className="numeric">
            95% CI
          </th>
          <th scope="col" className="numeric">
            EV of the SAE part
          </th>
          <th scope="col" className="numeric">
            L0 (change)
          </th>
        </tr>
      </thead>
      <tbody>
        {arms.map((arm) => (
          <tr key={arm.name} data-testid="joint-arm-row">
            <th scope="row">
              <span className="mono">{arm.name}</span>
              {arm.role && arm.role !== arm.name ? <div className="cell-note">{arm.role}</div> : null}
            </th>
            <td className="numeric">{formatPercent(arm.explainedVariance, 2)}</td>
            <td className="numeric">{formatPercentInterval(arm.ci95)}</td>
            <td className="numeric">{formatPercent(arm.saePartExplainedVariance, 2)}</td>
            <td className="numeric">{l0Text(arm)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
