import type { FeatureData } from "@interlace/compute/study";

/** Feature data that cannot be stored; `detail` says what is wrong without the leading sentence. */
export class InvalidFeatureDataError extends Error {
  override name = "InvalidFeatureDataError";
  constructor(readonly detail: string) {
    super(`Cannot store the feature data: ${detail}`);
  }
}

function fail(message: string): never {
  throw new InvalidFeatureDataError(message);
}

function finite(value: number, what: string): void {
  if (!Number.isFinite(value)) fail(`${what} is ${value}; it must be a finite number`);
}

/** An example context: one value per token, every value finite, the marked position inside the context. */
export function checkExample(
  example: { tokens: string[]; values: number[]; maxValue: number; position?: number },
  where: string,
): void {
  if (example.tokens.length !== example.values.length) {
    fail(`${where} has ${example.tokens.length} tokens but ${example.values.length} values`);
  }
  finite(example.maxValue, `${where} maxValue`);
  for (const value of example.values) finite(value, `${where} value`);
  const { position } = example;
  if (position !== undefined && !(Number.isInteger(position) && position >= 0 && position < example.tokens.length)) {
    fail(`${where} marks position ${position} in a context of ${example.tokens.length} tokens`);
  }
}

/** Checks feature data before it is written: finite figures and example contexts with one value per token. */
export function validateFeatureData(featureData: FeatureData[]): void {
  for (const feature of featureData) {
    const where = `feature data of ${feature.index}`;
    finite(feature.meanActivation, `${where} meanActivation`);
    for (const [rank, example] of feature.examples.entries()) checkExample(example, `${where}: top example ${rank}`);
    for (const [g, group] of feature.quantiles.entries()) {
      for (const [rank, example] of group.examples.entries()) {
        checkExample(example, `${where}: interval ${g} example ${rank}`);
      }
    }
    for (const bin of [...feature.histogram, ...feature.logitHistogram, ...feature.quantiles]) {
      finite(bin.lo, `${where} bin lo`);
      finite(bin.hi, `${where} bin hi`);
    }
    for (const logit of [...feature.topLogits, ...feature.bottomLogits]) finite(logit.value, `${where} logit`);
    for (const n of feature.neighbours) finite(n.cosine, `${where} neighbour cosine`);
    for (const c of feature.coActivating) finite(c.lift, `${where} lift`);
  }
}
