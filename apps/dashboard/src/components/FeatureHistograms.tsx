"use client";

import { type Bin, BinHistogram } from "./BinHistogram";

const short = (value: number) => Number(value.toPrecision(3)).toString();

/** The feature's non-zero activations on held-out tokens, 50 bins over (0, max]. */
export function ActivationHistogram({ bins }: { bins: readonly Bin[] }) {
  return (
    <BinHistogram
      bins={bins}
      label="Histogram of the feature's non-zero activations on held-out tokens"
      xLabel="activation"
      countLabel="tokens"
      testId="activation-histogram"
      formatTick={short}
    />
  );
}

/** The feature's direct logit effects over the whole vocabulary, 50 bins. */
export function LogitHistogram({ bins }: { bins: readonly Bin[] }) {
  return (
    <BinHistogram
      bins={bins}
      label="Histogram of the feature's direct effect on every token's logit"
      xLabel="logit effect"
      countLabel="tokens"
      testId="logit-histogram"
      formatTick={short}
    />
  );
}
