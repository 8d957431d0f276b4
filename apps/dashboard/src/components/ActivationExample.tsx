import { displayToken } from "../lib/format";
import { tokenShade } from "../lib/token-shade";

/** One example text, each token shaded by its activation relative to `scaleMax`; the value shows on hover. */
export function ActivationExample({
  tokens,
  values,
  maxValue,
  scaleMax,
}: {
  tokens: readonly string[];
  values: readonly number[];
  maxValue: number;
  scaleMax: number;
}) {
  return (
    <figure className="example" data-testid="activation-example">
      <figcaption className="example-max">max {maxValue.toFixed(3)}</figcaption>
      <p className="example-text">
        {tokens.map((token, position) => {
          const value = values[position] ?? 0;
          return (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; their position is their identity
              key={position}
              className="token"
              data-testid="token"
              data-value={value}
              title={`activation ${value.toFixed(3)}`}
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
