import type { JointFinetuneFieldsFragment } from "@interlace/schema";
import { formatNumber, formatPercent, formatPercentInterval } from "../lib/format";

type JointArm = JointFinetuneFieldsFragment["arms"][number];

function l0Text(arm: JointArm): string {
  const sign = arm.l0Change > 0 ? "+" : "";
  return `${formatNumber(arm.after.l0, 1)} (${sign}${formatNumber(arm.l0Change, 1)})`;
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
              {arm.role !== arm.name ? <div className="cell-note">{arm.role}</div> : null}
            </th>
            <td className="numeric">{formatPercent(arm.after.ev, 2)}</td>
            <td className="numeric">{formatPercentInterval(arm.after.ci95)}</td>
            <td className="numeric">{formatPercent(arm.after.saeEv, 2)}</td>
            <td className="numeric">{l0Text(arm)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
