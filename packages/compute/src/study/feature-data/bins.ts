/** Equal-width binning shared by the activation histograms, the quantile groups and the logit histograms. */
import type { HistogramBinData } from "./types.js";

/** The bin (0-based) of v in (0, max] cut into `bins` intervals (lo, hi]; v must be in (0, max]. */
export function positiveBin(v: number, max: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil((v / max) * bins) - 1));
}

/** The bins (lo, hi] of (0, max] with their counts. */
export function positiveBins(max: number, counts: ArrayLike<number>): HistogramBinData[] {
  const bins = counts.length;
  return Array.from({ length: bins }, (_, g) => ({
    lo: (g * max) / bins,
    hi: ((g + 1) * max) / bins,
    count: counts[g]!,
  }));
}

/** A histogram of `values` in `bins` equal-width bins over [min, max] (the last bin closed; one bin when all equal). */
export function rangeHistogram(values: ArrayLike<number>, bins: number): HistogramBinData[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) return [];
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const g = width > 0 ? Math.min(bins - 1, Math.floor((values[i]! - min) / width)) : 0;
    counts[g]! += 1;
  }
  return counts.map((count, g) => ({ lo: min + g * width, hi: g === bins - 1 ? max : min + (g + 1) * width, count }));
}
