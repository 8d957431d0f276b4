import { formatNumber } from "../lib/format";
import { ActivationExample } from "./ActivationExample";

interface Group {
  lo: number;
  hi: number;
  count: number;
  examples: readonly {
    tokens: readonly string[];
    values: readonly number[];
    maxValue: number;
    position?: number | null;
  }[];
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
          {group.examples.length === 0 ? (
            <p className="muted">No held-out token fell in this interval.</p>
          ) : (
            group.examples.map((example, rank) => (
              <ActivationExample
                // biome-ignore lint/suspicious/noArrayIndexKey: examples are ranked; rank is the identity
                key={rank}
                tokens={example.tokens}
                values={example.values}
                maxValue={example.maxValue}
                scaleMax={scaleMax}
                position={example.position}
              />
            ))
          )}
        </details>
      ))}
    </div>
  );
}
