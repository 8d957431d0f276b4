import { formatNumber } from "../lib/format";
import { type ActivationExampleData, ActivationExamples } from "./ActivationExamples";

interface Group {
  lo: number;
  hi: number;
  count: number;
  examples: readonly ActivationExampleData[];
}

/** The activation range cut into equal intervals, strongest first, each collapsible; the top non-empty one open. */
export function QuantileGroups({ groups, scaleMax }: { groups: readonly Group[]; scaleMax: number }) {
  const ordered = [...groups].reverse();
  const openAt = ordered.findIndex((group) => group.count > 0);
  if (openAt < 0)
    return <p className="muted">The feature never fired on held-out tokens, so no interval has examples.</p>;
  return (
    <div className="quantiles">
      {ordered.map((group, position) => (
        <details key={group.lo} open={position === openAt} className="quantile" data-testid="quantile-group">
          <summary>
            Interval ({formatNumber(group.lo, 3)}, {formatNumber(group.hi, 3)}]{" "}
            <span className="muted">
              — {group.count.toLocaleString("en-US")} {group.count === 1 ? "token" : "tokens"}
            </span>
          </summary>
          <ActivationExamples
            examples={group.examples}
            scaleMax={scaleMax}
            empty="No held-out token fell in this interval."
          />
        </details>
      ))}
    </div>
  );
}
