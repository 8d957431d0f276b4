/**
 * Dead-latent resampling for the standard SAE (Anthropic, "Towards Monosemanticity"; SAELens' `anthropic` resampler):
 * rows are drawn with probability ∝ (reconstruction loss)²; each dead latent gets one drawn row's direction
 * (x − b_dec, unit length) as its decoder row, the same direction times 0.2 × the mean encoder norm of the live
 * latents as its encoder column, a zero encoder bias, and zeroed Adam moments for everything it owns.
 * Works on host arrays so either training engine can be rebuilt from the result.
 */
import type { Rng } from "../stats/rng.js";
import type { AdamState } from "../train/adam.js";
import type { Sae } from "./sae.js";

export interface ResampleTarget {
  d: number;
  m: number;
  /** W_enc [d·m], W_dec [m·d], b_enc [m], b_dec [d]; changed in place. */
  params: Record<string, Float32Array>;
  /** Adam moments keyed like params; the dead latents' entries are zeroed in place. */
  adam: AdamState;
}

export interface ResampleOptions {
  /** Encoder column norm of a resampled latent as a fraction of the live latents' mean (default 0.2). */
  encoderScale?: number;
}

/** ‖x − x̂‖² of each row of `rows` [n·d]. */
export function rowSquaredErrors(sae: Sae, rows: Float32Array): Float64Array {
  const d = sae.dIn;
  const { xHat } = sae.reconstruct(rows);
  const n = rows.length / d;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += (rows[r * d + j]! - xHat[r * d + j]!) ** 2;
    out[r] = sq;
  }
  return out;
}

/** Draws `count` row indices with probability ∝ loss² (uniformly when every loss is zero). */
export function drawByLoss(loss: Float64Array, count: number, rng: Rng): number[] {
  const cumulative = new Float64Array(loss.length);
  let total = 0;
  for (let i = 0; i < loss.length; i++) {
    total += loss[i]! * loss[i]!;
    cumulative[i] = total;
  }
  const picks: number[] = [];
  for (let k = 0; k < count; k++) {
    if (!(total > 0)) {
      picks.push(rng.int(loss.length));
      continue;
    }
    const u = rng.next() * total;
    let lo = 0;
    let hi = loss.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    picks.push(lo);
  }
  return picks;
}

/** Re-initialises the latents in `dead` from high-loss rows of `rows` [n·d] (see the file comment). */
export function resampleDeadLatents(
  target: ResampleTarget,
  dead: readonly number[],
  rows: Float32Array,
  loss: Float64Array,
  rng: Rng,
  options: ResampleOptions = {},
): void {
  if (dead.length === 0) return;
  const { d, m, params, adam } = target;
  const W_enc = params["W_enc"]!;
  const W_dec = params["W_dec"]!;
  const b_enc = params["b_enc"]!;
  const b_dec = params["b_dec"]!;
  if (loss.length * d !== rows.length || loss.length === 0) {
    throw new Error(`resampling needs one loss per row: got ${loss.length} losses for ${rows.length / d} rows.`);
  }
  const isDead = new Uint8Array(m);
  for (const i of dead) isDead[i] = 1;
  let aliveNorms = 0;
  let alive = 0;
  for (let i = 0; i < m; i++) {
    if (isDead[i]) continue;
    let sq = 0;
    for (let j = 0; j < d; j++) sq += W_enc[j * m + i]! ** 2;
    aliveNorms += Math.sqrt(sq);
    alive++;
  }
  const encoderNorm = (options.encoderScale ?? 0.2) * (alive > 0 ? aliveNorms / alive : 1);
  const picks = drawByLoss(loss, dead.length, rng);
  const direction = new Float64Array(d);
  dead.forEach((latent, k) => {
    const row = picks[k]!;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      direction[j] = rows[row * d + j]! - b_dec[j]!;
      sq += direction[j]! ** 2;
    }
    const norm = Math.sqrt(sq) || 1;
    for (let j = 0; j < d; j++) {
      const unit = direction[j]! / norm;
      W_dec[latent * d + j] = unit;
      W_enc[j * m + latent] = unit * encoderNorm;
    }
    b_enc[latent] = 0;
    for (const moments of [adam.m, adam.v]) {
      const enc = moments["W_enc"];
      const dec = moments["W_dec"];
      const bias = moments["b_enc"];
      if (enc) for (let j = 0; j < d; j++) enc[j * m + latent] = 0;
      dec?.fill(0, latent * d, (latent + 1) * d);
      if (bias) bias[latent] = 0;
    }
  });
}
