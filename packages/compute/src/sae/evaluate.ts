/**
 * SAE metrics on held-out rows, named as SAELens: l0, l1, mse, explained_variance, cossim, l2_ratio, dead and dense
 * fractions, per-feature density and its log10 histogram. (ce_loss_score and KL need the LM and live with it.)
 */
import * as tf from "@tensorflow/tfjs";
import type { Sae } from "./sae.js";

export interface SaeMetrics {
  /** Rows evaluated. */
  rows: number;
  /** Mean number of active latents per row. */
  l0: number;
  /** Mean Σ|fᵢ| per row. */
  l1: number;
  /** Mean squared error per element, mean over rows and dimensions of (x̂ − x)². */
  mse: number;
  /** 1 − Σ‖x − x̂‖² / Σ‖x − mean(x)‖² (mean per dimension over the rows evaluated). */
  explained_variance: number;
  /** Mean cosine similarity of x̂ and x. */
  cossim: number;
  /** Mean ‖x̂‖ / ‖x‖. */
  l2_ratio: number;
  /** Fraction of latents that never fired on these rows. */
  dead_fraction: number;
  /** Fraction of latents firing on more than `denseThreshold` of rows. */
  dense_fraction: number;
  /** Per latent: fraction of rows where it fired. */
  feature_density: Float64Array;
  /** Histogram of log10(density) over latents that fired: `edges` has bins + 1 entries. */
  log10_density_histogram: { edges: number[]; counts: number[] };
}

export interface EvaluateSaeOptions {
  /** Rows per tfjs call (default 2048). */
  batchSize?: number;
  /** Density above which a latent counts as dense (default 0.1). */
  denseThreshold?: number;
  /** Histogram bins (default 50). */
  bins?: number;
}

export function evaluateSae(sae: Sae, heldOut: Float32Array, options: EvaluateSaeOptions = {}): SaeMetrics {
  const d = sae.dIn;
  const m = sae.dSae;
  if (heldOut.length === 0 || heldOut.length % d !== 0) {
    throw new Error(`evaluateSae: held-out data has ${heldOut.length} values, not whole rows of d_in=${d}.`);
  }
  const n = heldOut.length / d;
  const batch = options.batchSize ?? 2048;
  const firing = new Float64Array(m);
  const sumX = new Float64Array(d);
  const sumX2 = new Float64Array(d);
  let l0 = 0;
  let l1 = 0;
  let resid = 0;
  let cos = 0;
  let ratio = 0;
  for (let start = 0; start < n; start += batch) {
    const rows = Math.min(batch, n - start);
    const packed = tf.tidy(() => {
      const x = tf.tensor2d(heldOut.subarray(start * d, (start + rows) * d), [rows, d]);
      const { f, xHat } = sae.forwardTensor(x);
      const ones = tf.ones([1, rows]) as tf.Tensor2D;
      const active = tf.matMul(ones, tf.step(f)).reshape([-1]);
      const normX = tf.norm(x, 2, 1);
      const normHat = tf.norm(xHat, 2, 1);
      const eps = 1e-12;
      const cosine = tf.div(tf.sum(tf.mul(x, xHat), 1), tf.add(tf.mul(normX, normHat), eps));
      return tf.concat([
        active,
        tf.matMul(ones, x).reshape([-1]),
        tf.matMul(ones, tf.square(x)).reshape([-1]),
        tf.stack([
          tf.sum(active),
          tf.sum(tf.abs(f)),
          tf.sum(tf.square(tf.sub(x, xHat))),
          tf.sum(cosine),
          tf.sum(tf.div(normHat, tf.add(normX, eps))),
        ]),
      ]);
    });
    const v = packed.dataSync();
    packed.dispose();
    for (let i = 0; i < m; i++) firing[i]! += v[i]!;
    for (let j = 0; j < d; j++) {
      sumX[j]! += v[m + j]!;
      sumX2[j]! += v[m + d + j]!;
    }
    const o = m + 2 * d;
    l0 += v[o]!;
    l1 += v[o + 1]!;
    resid += v[o + 2]!;
    cos += v[o + 3]!;
    ratio += v[o + 4]!;
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += sumX2[j]! - (sumX[j]! * sumX[j]!) / n;
  const density = Float64Array.from(firing, (c) => c / n);
  const denseThreshold = options.denseThreshold ?? 0.1;
  let dead = 0;
  let dense = 0;
  for (const p of density) {
    if (p === 0) dead++;
    if (p > denseThreshold) dense++;
  }
  return {
    rows: n,
    l0: l0 / n,
    l1: l1 / n,
    mse: resid / (n * d),
    explained_variance: 1 - resid / total,
    cossim: cos / n,
    l2_ratio: ratio / n,
    dead_fraction: dead / m,
    dense_fraction: dense / m,
    feature_density: density,
    log10_density_histogram: log10Histogram(density, n, options.bins ?? 50),
  };
}

/** Histogram of log10(density) for latents that fired, from log10(1/n) to 0. */
export function log10Histogram(
  density: Float64Array,
  rows: number,
  bins: number,
): { edges: number[]; counts: number[] } {
  const lo = Math.log10(1 / rows);
  const width = (0 - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const p of density) {
    if (p <= 0) continue;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((Math.log10(p) - lo) / width)));
    counts[bin]!++;
  }
  return { edges, counts };
}
