/**
 * Synthetic sparse data with a known dictionary: each row is a sum of a few random unit directions with positive
 * magnitudes plus small noise. Used to check that an SAE recovers a dictionary, and by benchmarks.
 */
import { createRng, normalArray } from "../stats/rng.js";

export interface SyntheticSparseData {
  /** Rows [n·d]. */
  data: Float32Array;
  /** True dictionary [features·d], unit rows. */
  dictionary: Float32Array;
  /** Active feature indices per row. */
  active: number[][];
}

export function syntheticSparseRows(options: {
  rows: number;
  d: number;
  features: number;
  activePerRow: number;
  noise?: number;
  seed?: number;
}): SyntheticSparseData {
  const { rows, d, features, activePerRow } = options;
  const rng = createRng(options.seed ?? 0);
  const dictionary = normalArray(features * d, rng);
  for (let i = 0; i < features; i++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += dictionary[i * d + j]! ** 2;
    const s = 1 / Math.sqrt(sq);
    for (let j = 0; j < d; j++) dictionary[i * d + j]! *= s;
  }
  const data = new Float32Array(rows * d);
  const active: number[][] = [];
  const noise = options.noise ?? 0.01;
  for (let r = 0; r < rows; r++) {
    const chosen = new Set<number>();
    while (chosen.size < activePerRow) chosen.add(rng.int(features));
    active.push([...chosen]);
    for (const i of chosen) {
      const magnitude = 0.5 + rng.next();
      for (let j = 0; j < d; j++) data[r * d + j]! += magnitude * dictionary[i * d + j]!;
    }
    for (let j = 0; j < d; j++) data[r * d + j]! += noise * rng.normal();
  }
  return { data, dictionary, active };
}
