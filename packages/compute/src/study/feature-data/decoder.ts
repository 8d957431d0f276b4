/** What a feature's decoder direction says by itself: its direct effect on the logits, and its nearest directions. */
import * as tf from "@tensorflow/tfjs";
import type { Unembedding } from "../../lm/transformer-model.js";
import { rangeHistogram } from "./bins.js";
import { bottomK, topK } from "./top-k.js";
import type { FeatureDataLimits, HistogramBinData, NeighbourData } from "./types.js";

/** Feature rows per tfjs product: memory ≈ CHUNK × max(vocab, dSae) floats. */
const CHUNK = 128;

export interface LogitEffectIds {
  top: { token: number; value: number }[];
  bottom: { token: number; value: number }[];
  histogram: HistogramBinData[];
}

/** The decoder rows folded for the unembedding: centred over d for LayerNorm, then scaled by γ. */
export function foldedDecoder(wDec: Float32Array, dIn: number, unembedding: Unembedding): Float32Array {
  if (unembedding.gain.length !== dIn) {
    throw new Error(
      `the SAE writes ${dIn}-wide directions but the model's final norm has ${unembedding.gain.length}: use the SAE trained on this model.`,
    );
  }
  const out = new Float32Array(wDec.length);
  const rows = wDec.length / dIn;
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    if (unembedding.norm === "layernorm") {
      for (let j = 0; j < dIn; j++) mean += wDec[i * dIn + j]!;
      mean /= dIn;
    }
    for (let j = 0; j < dIn; j++) out[i * dIn + j] = (wDec[i * dIn + j]! - mean) * unembedding.gain[j]!;
  }
  return out;
}

/**
 * Each feature's direct logit effect: (W_dec[i] − mean(W_dec[i]))·diag(γ)·W_U for LayerNorm models,
 * W_dec[i]·diag(γ)·W_U for RMSNorm models (no division by σ, no centring of W_U over the vocabulary), summarised as
 * its largest and smallest entries and a histogram over the vocabulary.
 */
export function logitEffects(
  wDec: Float32Array,
  dIn: number,
  unembedding: Unembedding,
  limits: Pick<FeatureDataLimits, "logits" | "logitBins">,
): LogitEffectIds[] {
  const folded = foldedDecoder(wDec, dIn, unembedding);
  const rows = folded.length / dIn;
  const out: LogitEffectIds[] = [];
  for (let start = 0; start < rows; start += CHUNK) {
    const n = Math.min(CHUNK, rows - start);
    const effects = tf.tidy(() =>
      tf.matMul(tf.tensor2d(folded.subarray(start * dIn, (start + n) * dIn), [n, dIn]), unembedding.unembed),
    );
    const data = effects.dataSync() as Float32Array;
    effects.dispose();
    const vocab = data.length / n;
    for (let r = 0; r < n; r++) {
      const row = data.subarray(r * vocab, (r + 1) * vocab);
      out.push({
        top: topK(row, limits.logits).map(({ index, value }) => ({ token: index, value })),
        bottom: bottomK(row, limits.logits).map(({ index, value }) => ({ token: index, value })),
        histogram: rangeHistogram(row, limits.logitBins),
      });
    }
  }
  return out;
}

/** For each feature, the `count` other features whose decoder directions have the largest signed cosine with it. */
export function decoderNeighbours(wDec: Float32Array, dIn: number, count: number): NeighbourData[][] {
  const rows = wDec.length / dIn;
  const unit = new Float32Array(wDec.length);
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let j = 0; j < dIn; j++) norm += wDec[i * dIn + j]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dIn; j++) unit[i * dIn + j] = wDec[i * dIn + j]! * scale;
  }
  const transposed = tf.tidy(() => tf.transpose(tf.tensor2d(unit, [rows, dIn])));
  const out: NeighbourData[][] = [];
  try {
    for (let start = 0; start < rows; start += CHUNK) {
      const n = Math.min(CHUNK, rows - start);
      const cosines = tf.tidy(() =>
        tf.matMul(tf.tensor2d(unit.subarray(start * dIn, (start + n) * dIn), [n, dIn]), transposed),
      );
      const data = cosines.dataSync() as Float32Array;
      cosines.dispose();
      for (let r = 0; r < n; r++) {
        const row = data.subarray(r * rows, (r + 1) * rows);
        out.push(topK(row, count, start + r).map(({ index, value }) => ({ index, cosine: value })));
      }
    }
  } finally {
    transposed.dispose();
  }
  return out;
}
