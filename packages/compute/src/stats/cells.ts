/** Cell means of a two-way design with 95% t intervals (mean ± t₀.₉₇₅,ₙ₋₁ · s/√n). */
import type { TwoWayDesign } from "./anova2.js";
import { tQuantile } from "./distributions.js";

export interface CellSummary {
  a: number;
  b: number;
  n: number;
  mean: number;
  sd: number;
  /** [NaN, NaN] for a cell of one observation. */
  ci95: [number, number];
}

export function cellSummaries(design: TwoWayDesign, y: ArrayLike<number>): CellSummary[] {
  const cells = design.cellCounts.length;
  const sums = new Float64Array(cells);
  for (let i = 0; i < design.n; i++) sums[design.cellOf[i]!]! += y[i]!;
  const means = sums.map((s, c) => s / design.cellCounts[c]!);
  const squares = new Float64Array(cells);
  for (let i = 0; i < design.n; i++) {
    const d = y[i]! - means[design.cellOf[i]!]!;
    squares[design.cellOf[i]!]! += d * d;
  }
  return Array.from({ length: cells }, (_, c) => {
    const n = design.cellCounts[c]!;
    const mean = means[c]!;
    const sd = n > 1 ? Math.sqrt(squares[c]! / (n - 1)) : Number.NaN;
    const half = n > 1 ? tQuantile(0.975, n - 1) * (sd / Math.sqrt(n)) : Number.NaN;
    return {
      a: Math.floor(c / design.levelsB),
      b: c % design.levelsB,
      n,
      mean,
      sd,
      ci95: [mean - half, mean + half] as [number, number],
    };
  });
}
