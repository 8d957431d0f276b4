import { ActivationExample } from "./ActivationExample";

export interface ActivationExampleData {
  tokens: readonly string[];
  values: readonly number[];
  maxValue: number;
  position?: number | null;
}

/** Ranked activation examples shaded on one scale, or `empty` when there are none. */
export function ActivationExamples({
  examples,
  scaleMax,
  empty,
}: {
  examples: readonly ActivationExampleData[];
  scaleMax: number;
  empty: string;
}) {
  if (examples.length === 0) return <p className="muted">{empty}</p>;
  return examples.map((example, rank) => (
    <ActivationExample
      // biome-ignore lint/suspicious/noArrayIndexKey: examples are ranked; their rank is their identity
      key={rank}
      tokens={example.tokens}
      values={example.values}
      maxValue={example.maxValue}
      scaleMax={scaleMax}
      position={example.position}
    />
  ));
}
