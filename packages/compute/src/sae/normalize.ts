/**
 * SAELens `expected_average_only_in`: train on x·s with s = √d / mean‖x‖, then fold s into the weights so the saved
 * SAE takes raw x (W_enc·s, W_dec/s, b_dec/s; b_enc and thresholds unchanged) and says normalize_activations "none".
 */
import type { RowSource, SaeWeights } from "./types.js";

export function estimateNormScale(source: RowSource, rows: number, batchSize: number): number {
  const d = source.d;
  let total = 0;
  let count = 0;
  while (count < rows) {
    const take = Math.min(batchSize, rows - count);
    const batch = source.nextBatch(take);
    for (let r = 0; r < take; r++) {
      let sq = 0;
      for (let j = 0; j < d; j++) sq += batch[r * d + j]! ** 2;
      total += Math.sqrt(sq);
    }
    count += take;
  }
  const mean = total / count;
  if (!(mean > 0)) throw new Error("the activation rows are all zero; cannot normalise them — check the harvest.");
  return Math.sqrt(d) / mean;
}

export function foldNormScale(w: SaeWeights, scale: number): SaeWeights {
  if (scale === 1) return w;
  const times = (a: Float32Array, s: number) => Float32Array.from(a, (v) => v * s);
  return {
    W_enc: times(w.W_enc, scale),
    W_dec: times(w.W_dec, 1 / scale),
    b_enc: w.b_enc,
    b_dec: times(w.b_dec, 1 / scale),
    ...(w.threshold ? { threshold: w.threshold } : {}),
  };
}
