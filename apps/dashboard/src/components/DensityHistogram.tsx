"use client";

import { formatLog10Tick } from "../lib/format";
import { type Bin, BinHistogram } from "./BinHistogram";

/** Histogram of log10 feature density (dead features excluded), bars spanning each bin's [lo, hi). */
export function DensityHistogram({ bins }: { bins: readonly Bin[] }) {
  if (bins.length === 0) return <p className="muted">No live features, so there is no density histogram.</p>;
  return (
    <BinHistogram
      bins={bins}
      label="Histogram of feature density on a log10 scale"
      xLabel="density (fraction of tokens, log scale)"
      countLabel="features"
      testId="density-histogram"
      formatTick={formatLog10Tick}
    />
  );
}
