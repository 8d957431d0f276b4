export interface Bin {
  lo: number;
  hi: number;
  count: number;
}

/** Equal-width histogram of log10(density) over the firing features (density > 0); empty when none fire. */
export function log10DensityHistogram(densities: readonly number[], bins: number): Bin[] {
  const logs = densities.filter((density) => density > 0).map(Math.log10);
  if (logs.length === 0 || bins === 0) return [];
  const lo = logs.reduce((min, value) => Math.min(min, value), Number.POSITIVE_INFINITY);
  const hi = logs.reduce((max, value) => Math.max(max, value), Number.NEGATIVE_INFINITY);
  if (lo === hi) return [{ lo, hi, count: logs.length }];
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const value of logs) {
    const bin = Math.min(bins - 1, Math.floor((value - lo) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ lo: lo + i * width, hi: i === bins - 1 ? hi : lo + (i + 1) * width, count }));
}
