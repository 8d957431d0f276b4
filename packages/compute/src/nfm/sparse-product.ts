/**
 * Products of a batch of sparse SAE codes with a weight matrix, differentiable in the weights. A code row has
 * L0 ≈ 20–60 active features of d_sae in the thousands, so f·W costs nnz·cols multiply-adds instead of
 * rows·d_sae·cols, and so does its gradient fᵀ·dy. Codes are the SAE trainer's SparseCode (CSR) and the products
 * are its WebAssembly SIMD kernels (sae/sparse-products.ts). The NFM and its controls take f only as data (no
 * gradient to f), which is all these products support; joint training with the SAE keeps the dense path.
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArena, kernelArena } from "../sae/simd-kernels.js";
import type { SparseCode } from "../sae/sparse-code.js";
import { addSparseTimesDense, addSparseTransposeTimesDense } from "../sae/sparse-products.js";

type GradientFunction = Parameters<typeof tf.customGrad>[0];

/** The same rows with every value multiplied by `scale`. */
export function scaleCodes(codes: SparseCode, scale: number): SparseCode {
  return { ...codes, vals: codes.vals.map((v) => v * scale) };
}

/** The same rows with every value squared (f∘f). */
export function squareCodes(codes: SparseCode): SparseCode {
  return { ...codes, vals: codes.vals.map((v) => v * v) };
}

/** Dense rows [rows·width] of sparse codes. */
export function denseCodes(codes: SparseCode): Float32Array {
  const out = new Float32Array(codes.rows * codes.width);
  for (let r = 0; r < codes.rows; r++) {
    for (let e = codes.rowStart[r]!; e < codes.rowStart[r + 1]!; e++)
      out[r * codes.width + codes.cols[e]!] = codes.vals[e]!;
  }
  return out;
}

/** Sparse codes of dense rows [rows·width]. */
export function sparseCodes(dense: Float32Array, rows: number, width: number): SparseCode {
  if (dense.length !== rows * width) {
    throw new Error(`sparseCodes: ${dense.length} values are not ${rows} rows of ${width}.`);
  }
  let nnz = 0;
  for (const v of dense) if (v !== 0) nnz++;
  const rowStart = new Int32Array(rows + 1);
  const cols = new Int32Array(nnz);
  const vals = new Float32Array(nnz);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < width; i++) {
      const v = dense[r * width + i]!;
      if (v === 0) continue;
      cols[at] = i;
      vals[at++] = v;
    }
    rowStart[r + 1] = at;
  }
  return { rows, width, rowStart, cols, vals };
}

/** Copies `dense` into the kernels' memory, runs `product` into a zeroed output of `outLength`, returns a copy. */
function inKernelMemory(
  dense: Float32Array,
  outLength: number,
  product: (arena: KernelArena, input: Float32Array, out: Float32Array) => void,
): Float32Array {
  const arena = kernelArena();
  arena.reserve(dense.length + outLength);
  const input = arena.alloc(dense.length);
  input.set(dense);
  const out = arena.alloc(outLength);
  product(arena, input, out);
  return out.slice();
}

/** codes · w [rows·cols] for w [width·cols] on host arrays. */
export function sparseTimesDense(codes: SparseCode, w: Float32Array, cols: number): Float32Array {
  return inKernelMemory(w, codes.rows * cols, (arena, weights, out) =>
    addSparseTimesDense(arena, codes, codes.vals, weights, cols, out),
  );
}

/** codesᵀ · dy [width·cols] for dy [rows·cols] on host arrays. */
export function sparseTransposeTimes(codes: SparseCode, dy: Float32Array, cols: number): Float32Array {
  return inKernelMemory(dy, codes.width * cols, (arena, gradient, out) =>
    addSparseTransposeTimesDense(arena, codes, codes.vals, gradient, cols, out),
  );
}

/** codes · w [rows, cols] for w [width, cols], with the gradient codesᵀ·dy to w (codes are data). */
export function sparseMatMul(codes: SparseCode, w: tf.Tensor2D): tf.Tensor2D {
  const [width, cols] = w.shape;
  if (width !== codes.width) {
    throw new Error(`sparseMatMul: the codes have ${codes.width} features but the weights ${width} rows.`);
  }
  const fn = (weights: tf.Tensor) => ({
    value: tf.tensor2d(sparseTimesDense(codes, weights.dataSync() as Float32Array, cols), [codes.rows, cols]),
    gradFunc: (dy: tf.Tensor) =>
      tf.tensor2d(sparseTransposeTimes(codes, dy.dataSync() as Float32Array, cols), [width, cols]),
  });
  return tf.customGrad(fn as unknown as GradientFunction)(w) as tf.Tensor2D;
}
