/**
 * Bi-Interaction pooling (He & Chua 2017): BI(f) = ½[(Σᵢ fᵢvᵢ)² − Σᵢ (fᵢvᵢ)²] ∈ ℝᴷ per row.
 * Both sums are products with f: Σᵢ fᵢvᵢ = f·V and Σᵢ (fᵢvᵢ)² = (f∘f)·(V∘V). Inactive features (fᵢ = 0) contribute
 * nothing to either, so this equals the sum over active features only, and no batch × d_sae × K tensor is ever
 * formed. Codes given sparse (the NFM's training and evaluation) use sparse products over the active features;
 * dense codes (joint training, which needs gradients to f) use dense matrix products.
 */
import * as tf from "@tensorflow/tfjs";
import type { SparseCode } from "../sae/sparse-code.js";
import { matMul, matMulConstA } from "../train/matmul.js";
import { sparseMatMul, squareCodes } from "./sparse-product.js";

export interface BiInteractionOptions {
  /** Also pass gradients to f (joint training of the SAE that produces f). Default false: f is data. */
  inputGradients?: boolean;
}

/**
 * BI(f) [B, K] for f [B, d_sae] and V [d_sae, K] (differentiable in V); f gets gradients only when asked, and only
 * as a dense tensor. Sparse codes (CSR) cost O(nnz·K) per product instead of O(B·d_sae·K).
 */
export function biInteraction(
  f: tf.Tensor2D | SparseCode,
  v: tf.Tensor2D,
  options: BiInteractionOptions = {},
): tf.Tensor2D {
  if (!(f instanceof tf.Tensor)) {
    if (options.inputGradients) throw new Error("gradients to f need f as a dense tensor, not sparse codes.");
    return tf.tidy(() => {
      const sum = sparseMatMul(f, v);
      const sumOfSquares = sparseMatMul(squareCodes(f), tf.square(v) as tf.Tensor2D);
      return tf.mul(0.5, tf.sub(tf.square(sum), sumOfSquares)) as tf.Tensor2D;
    });
  }
  const product = options.inputGradients ? matMul : matMulConstA;
  return tf.tidy(() => {
    const sum = product(f, v);
    const sumOfSquares = product(tf.square(f) as tf.Tensor2D, tf.square(v) as tf.Tensor2D);
    return tf.mul(0.5, tf.sub(tf.square(sum), sumOfSquares)) as tf.Tensor2D;
  });
}

/** The same pooling on host arrays over each row's active features only: O(nnz·K) per row. */
export function biInteractionSparse(f: Float32Array, v: Float32Array, dSae: number, k: number): Float32Array {
  const rows = f.length / dSae;
  const out = new Float32Array(rows * k);
  const sum = new Float64Array(k);
  const squares = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    sum.fill(0);
    squares.fill(0);
    for (let i = 0; i < dSae; i++) {
      const fi = f[r * dSae + i]!;
      if (fi === 0) continue;
      for (let c = 0; c < k; c++) {
        const term = fi * v[i * k + c]!;
        sum[c]! += term;
        squares[c]! += term * term;
      }
    }
    for (let c = 0; c < k; c++) out[r * k + c] = 0.5 * (sum[c]! * sum[c]! - squares[c]!);
  }
  return out;
}
