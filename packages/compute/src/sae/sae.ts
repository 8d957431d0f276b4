/**
 * A loaded or trained SAE: SAELens config + host weights, with batched encode/decode on Float32Arrays (row-major)
 * and tensor versions for splicing into a model. Tensors of the weights are created on first use; call dispose().
 */
import * as tf from "@tensorflow/tfjs";
import type { SaeArchitecture, SaeTensors } from "./architecture.js";
import { saeArchitectures } from "./architectures.js";
import type { SaeConfig, SaeWeights } from "./types.js";

/** Rows per tfjs call in the Float32Array helpers (bounds peak memory). */
const CHUNK_ROWS = 2048;

export class Sae {
  readonly architecture: SaeArchitecture;
  private tensors: SaeTensors | null = null;

  constructor(
    readonly cfg: SaeConfig,
    readonly weights: SaeWeights,
  ) {
    this.architecture = saeArchitectures.get(cfg.architecture);
    checkWeights(cfg, weights, this.architecture);
  }

  get dIn(): number {
    return this.cfg.d_in;
  }

  get dSae(): number {
    return this.cfg.d_sae;
  }

  /** Weight tensors (owned by this SAE; kept even when first created inside a tf.tidy). */
  weightTensors(): SaeTensors {
    if (!this.tensors) {
      const { d_in: d, d_sae: m } = this.cfg;
      const w = this.weights;
      this.tensors = {
        W_enc: tf.keep(tf.tensor2d(w.W_enc, [d, m])),
        W_dec: tf.keep(tf.tensor2d(w.W_dec, [m, d])),
        b_enc: tf.keep(tf.tensor1d(w.b_enc)),
        b_dec: tf.keep(tf.tensor1d(w.b_dec)),
        ...(w.threshold ? { threshold: tf.keep(tf.tensor1d(w.threshold)) } : {}),
      };
    }
    return this.tensors;
  }

  /** Per-row input scale of `constant_norm_rescale` (√d / ‖x‖) [B, 1], or null when the SAE takes x as is. */
  inputScale(x: tf.Tensor2D): tf.Tensor2D | null {
    if (this.cfg.normalize_activations !== "constant_norm_rescale") return null;
    return tf.tidy(() => tf.div(Math.sqrt(this.cfg.d_in), tf.add(tf.norm(x, 2, 1, true), 1e-12)) as tf.Tensor2D);
  }

  /** f [B, d_sae] from x [B, d_in], exactly as SAELens encodes. */
  encodeTensor(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const scale = this.inputScale(x);
      const input = scale ? (tf.mul(x, scale) as tf.Tensor2D) : x;
      return this.architecture.encode(input, this.weightTensors(), this.cfg);
    });
  }

  /** x̂ = f·W_dec + b_dec (in the SAE's input space; see forwardTensor for constant_norm_rescale). */
  decodeTensor(f: tf.Tensor2D): tf.Tensor2D {
    const w = this.weightTensors();
    return tf.fused.matMul({ a: f, b: w.W_dec, bias: w.b_dec }) as tf.Tensor2D;
  }

  /** Both f and x̂ for x, undoing per-row input scaling on x̂. Caller disposes both. */
  forwardTensor(x: tf.Tensor2D): { f: tf.Tensor2D; xHat: tf.Tensor2D } {
    return tf.tidy(() => {
      const scale = this.inputScale(x);
      const input = scale ? (tf.mul(x, scale) as tf.Tensor2D) : x;
      const f = this.architecture.encode(input, this.weightTensors(), this.cfg);
      const decoded = this.decodeTensor(f);
      return { f, xHat: scale ? (tf.div(decoded, scale) as tf.Tensor2D) : decoded };
    });
  }

  /** Row-major batches: x [n·d_in] → f [n·d_sae]. */
  encode(x: Float32Array): Float32Array {
    return this.mapRows(x, this.cfg.d_in, this.cfg.d_sae, (t) => this.encodeTensor(t));
  }

  /** Row-major batches: f [n·d_sae] → x̂ [n·d_in]. */
  decode(f: Float32Array): Float32Array {
    return this.mapRows(f, this.cfg.d_sae, this.cfg.d_in, (t) => this.decodeTensor(t));
  }

  /** f and x̂ for rows x [n·d_in]. */
  reconstruct(x: Float32Array): { f: Float32Array; xHat: Float32Array } {
    const { d_in: d, d_sae: m } = this.cfg;
    const n = rowCount(x, d, "x");
    const f = new Float32Array(n * m);
    const xHat = new Float32Array(n * d);
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - start);
      const input = tf.tensor2d(x.subarray(start * d, (start + rows) * d), [rows, d]);
      const out = this.forwardTensor(input);
      f.set(out.f.dataSync(), start * m);
      xHat.set(out.xHat.dataSync(), start * d);
      tf.dispose([input, out.f, out.xHat]);
    }
    return { f, xHat };
  }

  private mapRows(
    data: Float32Array,
    width: number,
    outWidth: number,
    fn: (t: tf.Tensor2D) => tf.Tensor2D,
  ): Float32Array {
    const n = rowCount(data, width, "input");
    const out = new Float32Array(n * outWidth);
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - start);
      const input = tf.tensor2d(data.subarray(start * width, (start + rows) * width), [rows, width]);
      const result = fn(input);
      out.set(result.dataSync(), start * outWidth);
      tf.dispose([input, result]);
    }
    return out;
  }

  dispose(): void {
    if (this.tensors) tf.dispose(Object.values(this.tensors));
    this.tensors = null;
  }
}

function rowCount(data: Float32Array, width: number, name: string): number {
  if (data.length % width !== 0) {
    throw new Error(`${name} has ${data.length} values, not a multiple of the row width ${width}; pass whole rows.`);
  }
  return data.length / width;
}

function checkWeights(cfg: SaeConfig, w: SaeWeights, arch: SaeArchitecture): void {
  const expected: Record<string, number> = {
    W_enc: cfg.d_in * cfg.d_sae,
    W_dec: cfg.d_sae * cfg.d_in,
    b_enc: cfg.d_sae,
    b_dec: cfg.d_in,
  };
  for (const name of arch.extraWeights) expected[name] = cfg.d_sae;
  for (const [name, size] of Object.entries(expected)) {
    const data = w[name as keyof SaeWeights];
    if (!data) throw new Error(`SAE weights lack "${name}", which architecture "${cfg.architecture}" needs.`);
    if (data.length !== size) {
      throw new Error(
        `SAE weight "${name}" has ${data.length} values but d_in=${cfg.d_in}, d_sae=${cfg.d_sae} need ${size}; check cfg.json against the weights.`,
      );
    }
  }
  for (const key of arch.requiredConfig) {
    if (cfg[key] === undefined) throw new Error(`SAE cfg lacks "${key}", which "${cfg.architecture}" needs.`);
  }
}
