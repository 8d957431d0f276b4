/**
 * The NFM's K dimensions (columns of V [d_sae × K]): how many features load on each, how concentrated the loadings
 * are, which features load most, and how much of the interaction output each dimension carries.
 */
import * as tf from "@tensorflow/tfjs";
import { vectorStats } from "./embedding-stats.js";
import type { Embedding } from "./inspect.js";
import type { ResidualModel } from "./model.js";

export interface KDimensionStats {
  index: number;
  /** #{i : |v_ik| > 0.01 · max_i |v_ik|}. */
  l0: number;
  l1: number;
  l2: number;
  /** max_i |v_ik|. */
  max: number;
  /** Gini of |v_·k|. */
  gini: number;
  /** exp(−Σ p_i ln p_i), p_i = v_ik² / Σ_j v_jk². */
  effectiveRank: number;
  /** The features with the largest |v_ik|, largest first, with the signed loading. */
  topFeatures: { feature: number; loading: number }[];
}

/** Column k of V. */
export function dimensionColumn(e: Embedding, k: number): Float32Array {
  return Float32Array.from({ length: e.dSae }, (_, i) => e.v[i * e.k + k]!);
}

/** exp(entropy) of the squared entries' shares: how many entries effectively carry the vector's energy. */
export function energyEffectiveRank(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]! ** 2;
  if (total === 0) return 0;
  let entropy = 0;
  for (let i = 0; i < values.length; i++) {
    const p = values[i]! ** 2 / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/** The indices of the `count` largest |values|, largest first (ties by lower index). */
export function topByMagnitude(values: ArrayLike<number>, count: number, skip = -1): number[] {
  const best: number[] = [];
  const worse = (i: number, j: number) =>
    Math.abs(values[i]!) < Math.abs(values[j]!) || (Math.abs(values[i]!) === Math.abs(values[j]!) && i > j);
  for (let i = 0; i < values.length; i++) {
    if (i === skip) continue;
    if (best.length === count && !worse(best[best.length - 1]!, i)) continue;
    let at = best.length === count ? count - 1 : best.length;
    if (best.length < count) best.push(i);
    while (at > 0 && worse(best[at - 1]!, i)) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best;
}

/** Statistics of every K dimension with its `topFeatures` strongest loadings. */
export function kDimensionStats(e: Embedding, topFeatures = 20): KDimensionStats[] {
  return Array.from({ length: e.k }, (_, k) => {
    const column = dimensionColumn(e, k);
    let max = 0;
    for (const x of column) max = Math.max(max, Math.abs(x));
    const s = vectorStats(column, 0.01 * max);
    return {
      index: k,
      l0: max > 0 ? s.l0 : 0,
      l1: s.l1,
      l2: s.l2,
      max: s.max,
      gini: s.gini,
      effectiveRank: energyEffectiveRank(column),
      topFeatures: topByMagnitude(column, topFeatures).map((feature) => ({ feature, loading: column[feature]! })),
    };
  });
}

/**
 * Per dimension k, the share of the interaction output it carries on the given codes f [rows · d_sae]: the mean drop
 * in ‖interaction output‖² when BI(f)_k is set to 0, over the mean ‖interaction output‖² (output in r's units).
 */
export function dimensionVarianceExplained(model: ResidualModel, f: Float32Array, rows: number): Float64Array {
  const k = model.config.interaction?.k;
  if (!k) throw new Error("the model has no interaction path; use the full or interaction-only variant.");
  const out = new Float64Array(k);
  if (rows === 0) return out;
  const bi = tf.tensor2d(model.pooledValues(f, rows), [rows, k]);
  try {
    const meanSquare = (mask: Float32Array | null): number => {
      let value = 0;
      tf.tidy(() => {
        const pooled = mask ? (tf.mul(bi, tf.tensor1d(mask)) as tf.Tensor2D) : bi;
        const y = tf.div(model.interactionFromPooled(pooled), model.scales.r);
        value = tf.mean(tf.sum(tf.square(y), 1)).dataSync()[0]!;
      });
      return value;
    };
    const base = meanSquare(null);
    if (!(base > 0)) return out;
    for (let c = 0; c < k; c++) {
      const mask = new Float32Array(k).fill(1);
      mask[c] = 0;
      out[c] = (base - meanSquare(mask)) / base;
    }
    return out;
  } finally {
    bi.dispose();
  }
}
