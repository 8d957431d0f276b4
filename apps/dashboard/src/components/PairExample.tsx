import { displayToken } from "../lib/format";
import { PARTNER_FULL, tokenShade } from "../lib/token-shade";

/**
 * One context where a pair contributes: the tokens twice, shaded by feature A's activation (orange) and by feature
 * B's (blue), each on its own feature's scale; values show on hover.
 */
export function PairExample({
  tokens,
  aValues,
  bValues,
  contribution,
  a,
  b,
}: {
  tokens: readonly string[];
  aValues: readonly number[];
  bValues: readonly number[];
  contribution: number;
  a: { index: number; scaleMax: number };
  b: { index: number; scaleMax: number };
}) {
  const row = (
    name: string,
    feature: { index: number; scaleMax: number },
    values: readonly number[],
    blue: boolean,
  ) => (
    <p className="example-text pair-row">
      <span className="pair-row-label muted">#{feature.index}</span>
      {tokens.map((token, at) => {
        const value = values[at] ?? 0;
        return (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; their position is their identity
            key={at}
            className="token"
            data-testid={`pair-token-${name}`}
            data-value={value}
            title={`#${feature.index}: ${value.toFixed(3)}`}
            style={blue ? tokenShade(value, feature.scaleMax, PARTNER_FULL) : tokenShade(value, feature.scaleMax)}
          >
            {displayToken(token)}
          </span>
        );
      })}
    </p>
  );
  return (
    <figure className="example" data-testid="pair-example">
      <figcaption className="example-max">contribution {contribution.toFixed(4)}</figcaption>
      {row("a", a, aValues, false)}
      {row("b", b, bValues, true)}
    </figure>
  );
}
