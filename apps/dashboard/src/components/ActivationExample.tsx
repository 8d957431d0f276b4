import { displayToken } from "../lib/format";
import { tokenShade } from "../lib/token-shade";

/** One example text, each token shaded by its activation relative to `scaleMax`; the value shows on hover. */
export function ActivationExample({
  tokens,
  values,
  maxValue,
  scaleMax,
  position,
}: {
  tokens: readonly string[];
  values: readonly number[];
  maxValue: number;
  scaleMax: number;
  /** The example's own token, marked (null or absent: not known). */
  position?: number | null | undefined;
}) {
  return (
    <figure className="example" data-testid="activation-example">
      <figcaption className="example-max">max {maxValue.toFixed(3)}</figcaption>
      <p className="example-text">
        {tokens.map((token, at) => {
          const value = values[at] ?? 0;
          const own = at === position;
          return (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; their position is their identity
              key={at}
              className={own ? "token token-max" : "token"}
              data-testid="token"
              data-value={value}
              data-max={own ? "true" : undefined}
              title={`activation ${value.toFixed(3)}${own ? " (this example's token)" : ""}`}
              style={tokenShade(value, scaleMax)}
            >
              {displayToken(token)}
            </span>
          );
        })}
      </p>
    </figure>
  );
}
