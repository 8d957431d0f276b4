import type { NormStats } from "./manifest.js";

/** Accumulates NormStats over rows in float64; can resume from saved statistics. */
export class RunningStats {
  private rows: number;
  private sumNorm: number;
  private sumSquaredNorm: number;
  private readonly sum: Float64Array;

  constructor(
    readonly d: number,
    from?: NormStats,
  ) {
    this.rows = from?.rows ?? 0;
    this.sumNorm = (from?.meanNorm ?? 0) * this.rows;
    this.sumSquaredNorm = (from?.meanSquaredNorm ?? 0) * this.rows;
    this.sum = new Float64Array(d);
    for (let k = 0; k < d && from; k++) this.sum[k] = (from.mean[k] ?? 0) * this.rows;
  }

  /** Adds rows `[0, count)` of x ([count × d]) whose `include` flag is true. */
  add(x: Float32Array, count: number, include: (row: number) => boolean): void {
    const { d, sum } = this;
    for (let r = 0; r < count; r++) {
      if (!include(r)) continue;
      let squared = 0;
      const base = r * d;
      for (let k = 0; k < d; k++) {
        const v = x[base + k]!;
        squared += v * v;
        sum[k]! += v;
      }
      this.rows++;
      this.sumNorm += Math.sqrt(squared);
      this.sumSquaredNorm += squared;
    }
  }

  toStats(): NormStats {
    const n = this.rows;
    return {
      rows: n,
      meanNorm: n > 0 ? this.sumNorm / n : 0,
      meanSquaredNorm: n > 0 ? this.sumSquaredNorm / n : 0,
      mean: Array.from(this.sum, (s) => (n > 0 ? s / n : 0)),
    };
  }
}
