/**
 * Synthetic residual data with known structure: sparse non-negative codes f, a linear part f·A and a factorised
 * pairwise part BI(f; V*)·P, plus noise. Tests use it to check that the NFM finds interactions when they exist and
 * that the controls do not invent them.
 */
import { createRng, normalArray } from "../stats/rng.js";
import { biInteractionSparse } from "./bi-pooling.js";
import { type ResidualData, residualData } from "./residual-data.js";

export function syntheticResidualData(options: {
  rows: number;
  dSae: number;
  dIn: number;
  activePerRow: number;
  /** Weight of the linear part (default 1). */
  linear?: number;
  /** Weight of the pairwise part (default 1). */
  interaction?: number;
  noise?: number;
  k?: number;
  seed?: number;
}): ResidualData {
  const { rows, dSae, dIn, activePerRow } = options;
  const k = options.k ?? 4;
  const rng = createRng(options.seed ?? 0);
  const f = new Float32Array(rows * dSae);
  for (let r = 0; r < rows; r++) {
    const chosen = new Set<number>();
    while (chosen.size < activePerRow) chosen.add(rng.int(dSae));
    for (const i of chosen) f[r * dSae + i] = 0.5 + rng.next();
  }
  const a = normalArray(dSae * dIn, rng, 1 / Math.sqrt(activePerRow));
  const v = normalArray(dSae * k, rng, 1);
  const p = normalArray(k * dIn, rng, 1 / Math.sqrt(k * activePerRow));
  const bi = biInteractionSparse(f, v, dSae, k);
  const x = normalArray(rows * dIn, rng);
  const target = new Float32Array(rows * dIn);
  const wl = options.linear ?? 1;
  const wi = options.interaction ?? 1;
  const noise = options.noise ?? 0.05;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dIn; j++) {
      let lin = 0;
      for (let i = 0; i < dSae; i++) {
        const fi = f[r * dSae + i]!;
        if (fi !== 0) lin += fi * a[i * dIn + j]!;
      }
      let inter = 0;
      for (let c = 0; c < k; c++) inter += bi[r * k + c]! * p[c * dIn + j]!;
      target[r * dIn + j] = wl * lin + wi * inter + noise * rng.normal();
    }
  }
  return residualData(f, x, target, dSae, dIn);
}
