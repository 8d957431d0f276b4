/**
 * The host side of a sparse SAE training step, shared by the architectures: the batch and decoder on the host, the
 * reconstruction from a sparse code, and the gradient accumulators the sparse products fill. Only the encoder's
 * forward product stays dense (in tfjs); everything after it touches the active entries only.
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArena, kernelArena } from "./simd-kernels.js";
import type { SparseCode } from "./sparse-code.js";
import { addColumnSums, addSparseTimesDense, addSparseTransposeTimesDense, sparseRowDots } from "./sparse-products.js";

/** Which products a trainer uses: dense tfjs products, sparse ones, or chosen per step from the measured density. */
export type SaeProducts = "auto" | "dense" | "sparse";

/**
 * The density (L0 / d_sae) up to which the sparse step is taken. Measured at d_in 256, d_sae 4096, 2048 rows a worker
 * (fastest of five steps, on a loaded 2-core machine): sparse 1.8 s vs dense 2.0 s at L0 1123 (density 0.27), sparse
 * 2.5 s vs dense 1.6 s at L0 1564 (0.38); below, the sparse step is faster (0.46 s vs 2.2 s at L0 93). The sparse
 * cost grows with L0, the dense cost does not.
 */
export const SPARSE_MAX_DENSITY = 0.25;

/** Whether a step whose code has `density` (L0 / d_sae) should take the sparse products. */
export function useSparse(products: SaeProducts, density: number): boolean {
  return products === "sparse" || (products === "auto" && density <= SPARSE_MAX_DENSITY);
}

/** The most active entries a code of `size` = rows · d_sae may have for the sparse products (−1: none). */
export function maxSparseEntries(products: SaeProducts, size: number): number {
  if (products === "sparse") return Number.POSITIVE_INFINITY;
  return products === "auto" ? Math.floor(SPARSE_MAX_DENSITY * size) : -1;
}

/** One step's host state. Its [·, d] arrays live in this thread's KernelArena and are valid until the next step. */
export class SparseStep {
  private readonly arena: KernelArena;
  readonly rows: number;
  readonly d: number;
  readonly m: number;
  readonly x: Float32Array;
  /** The encoder's input x − b_dec (or x). */
  readonly xc: Float32Array;
  readonly W_dec: Float32Array;
  private readonly b_dec: Float32Array;
  /** ∂loss/∂W_dec [m, d]. */
  readonly dWdec: Float32Array;
  /** ∂loss/∂W_encᵀ [m, d] (accumulated per latent, transposed at the end). */
  private readonly dWencT: Float32Array;
  /** ∂loss/∂b_enc [m]. */
  readonly dBenc: Float32Array;
  /** Σ over rows of ∂loss/∂x̂ (the direct part of ∂loss/∂b_dec). */
  private readonly dBdecDirect: Float32Array;

  constructor(
    x: tf.Tensor2D,
    params: { W_dec: tf.Tensor; b_dec: tf.Tensor },
    private readonly applyBDec: boolean,
  ) {
    [this.rows, this.d] = x.shape;
    this.m = params.W_dec.shape[0]!;
    this.arena = kernelArena();
    // W_dec, its gradient, W_enc's gradient; x − b_dec, and up to three [rows, d] results (err, g, aux).
    this.arena.reserve(3 * this.m * this.d + 4 * this.rows * this.d);
    this.x = x.dataSync() as Float32Array;
    this.W_dec = this.arena.alloc(this.m * this.d);
    this.W_dec.set(params.W_dec.dataSync());
    this.b_dec = params.b_dec.dataSync() as Float32Array;
    this.xc = this.arena.alloc(this.rows * this.d);
    this.xc.set(this.x);
    if (applyBDec) for (let i = 0; i < this.xc.length; i++) this.xc[i] = this.x[i]! - this.b_dec[i % this.d]!;
    this.dWdec = this.arena.alloc(this.m * this.d);
    this.dWencT = this.arena.alloc(this.m * this.d);
    this.dBenc = new Float32Array(this.m);
    this.dBdecDirect = new Float32Array(this.d);
  }

  /** A zeroed [rows, d] array the sparse products can read (at most three per step besides x − b_dec). */
  rowsArray(): Float32Array {
    return this.arena.alloc(this.rows * this.d);
  }

  /** code·W_dec [rows, d] (no bias). */
  decode(code: SparseCode): Float32Array {
    const out = this.rowsArray();
    addSparseTimesDense(this.arena, code, code.vals, this.W_dec, this.d, out);
    return out;
  }

  /** x̂ − x with x̂ = code·W_dec + b_dec, and Σ of its squares (in float64). */
  reconstructionError(code: SparseCode): { err: Float32Array; squares: number } {
    const err = this.decode(code);
    let squares = 0;
    for (let i = 0; i < err.length; i++) {
      const e = err[i]! + this.b_dec[i % this.d]! - this.x[i]!;
      err[i] = e;
      squares += e * e;
    }
    return { err, squares };
  }

  /** ⟨g[b], W_dec[col]⟩ at each active entry: the code's gradient from an output gradient g [rows, d]. */
  codeGradient(code: SparseCode, g: Float32Array): Float32Array {
    return sparseRowDots(this.arena, code, g, this.W_dec, this.d);
  }

  /** W_dec's gradient from a code and the gradient g of its reconstruction: += codeᵀ·g. */
  addDecoderGradient(code: SparseCode, g: Float32Array): void {
    addSparseTransposeTimesDense(this.arena, code, code.vals, g, this.d, this.dWdec);
  }

  /** b_dec's direct gradient: += Σ_b g[b] (g the gradient of x̂). */
  addOutputGradient(g: Float32Array): void {
    const d = this.d;
    for (let i = 0; i < g.length; i++) this.dBdecDirect[i % d] = this.dBdecDirect[i % d]! + g[i]!;
  }

  /** The encoder's gradients from δ = ∂loss/∂pre at the entries of `code`: b_enc += column sums, W_enc += xcᵀ·δ. */
  addPreActivationGradient(code: SparseCode, delta: Float32Array): void {
    addColumnSums(code, delta, this.dBenc);
    addSparseTransposeTimesDense(this.arena, code, delta, this.xc, this.d, this.dWencT);
  }

  /** The gradients as tensors (caller disposes); dWdec may have been edited in place (e.g. a tangent projection).
   *  Copied out of the arena, since a backend may read a tensor's values lazily. */
  gradients(W_enc: tf.Tensor2D): Record<string, tf.Tensor> {
    return tf.tidy(() => {
      const dBenc = tf.tensor1d(this.dBenc);
      let dBdec: tf.Tensor = tf.tensor1d(this.dBdecDirect);
      if (this.applyBDec) dBdec = tf.sub(dBdec, tf.matMul(W_enc, dBenc.reshape([-1, 1])).reshape([-1]));
      return {
        W_enc: tf.transpose(tf.tensor2d(this.dWencT.slice(), [this.m, this.d])),
        W_dec: tf.tensor2d(this.dWdec.slice(), [this.m, this.d]),
        b_enc: dBenc,
        b_dec: dBdec,
      };
    });
  }
}
