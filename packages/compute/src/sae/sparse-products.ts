/**
 * Products of an SAE training step that touch only the active entries of the code (sparse-code.ts). With B rows,
 * L0 active entries per row and width d, each costs B·L0·d multiply-adds instead of the dense B·d_sae·d: the decoder
 * f·W_dec, the code's gradient g·W_decᵀ at the active entries, and the weight gradients fᵀ·g and xᵀ·δ (accumulated
 * per latent, i.e. the latter transposed). Each entry is one WebAssembly SIMD axpy or dot of length d
 * (simd-kernels.ts; measured 2–5× faster than the same loops in JavaScript), so the dense operands — row-major
 * [·, d] matrices — live in the kernels' memory (KernelArena); the code's indices and coefficients may live anywhere.
 */
import type { KernelArena } from "./simd-kernels.js";
import type { SparseCode } from "./sparse-code.js";

/** out[b] += Σ_e coef[e] · W[col_e] over row b's entries; W is [width, d], out [rows, d]. */
export function addSparseTimesDense(
  arena: KernelArena,
  code: SparseCode,
  coef: Float32Array,
  W: Float32Array,
  d: number,
  out: Float32Array,
): void {
  const { rowStart, cols } = code;
  const { axpy } = arena.kernels;
  const w = arena.address(W);
  const o = arena.address(out);
  const rowBytes = d * 4;
  for (let b = 0; b < code.rows; b++) {
    for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) axpy(o + b * rowBytes, w + cols[e]! * rowBytes, coef[e]!, d);
  }
}

/** For each entry e of row b: ⟨G[b], W[col_e]⟩ — the gradient of the code at its active entries. G is [rows, d]. */
export function sparseRowDots(
  arena: KernelArena,
  code: SparseCode,
  G: Float32Array,
  W: Float32Array,
  d: number,
): Float32Array {
  const { rowStart, cols } = code;
  const { dot } = arena.kernels;
  const out = new Float32Array(cols.length);
  const w = arena.address(W);
  const g = arena.address(G);
  const rowBytes = d * 4;
  for (let b = 0; b < code.rows; b++) {
    for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) out[e] = dot(g + b * rowBytes, w + cols[e]! * rowBytes, d);
  }
  return out;
}

/** acc[col_e] += coef[e] · R[b] over all entries: the [width, d] product (code with values coef)ᵀ · R. */
export function addSparseTransposeTimesDense(
  arena: KernelArena,
  code: SparseCode,
  coef: Float32Array,
  R: Float32Array,
  d: number,
  acc: Float32Array,
): void {
  const { rowStart, cols } = code;
  const { axpy } = arena.kernels;
  const r = arena.address(R);
  const a = arena.address(acc);
  const rowBytes = d * 4;
  for (let b = 0; b < code.rows; b++) {
    for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) axpy(a + cols[e]! * rowBytes, r + b * rowBytes, coef[e]!, d);
  }
}

/** out[col_e] += coef[e] over all entries (column sums; coef = null counts entries). */
export function addColumnSums(code: SparseCode, coef: Float32Array | null, out: Float32Array): void {
  const { cols } = code;
  if (coef === null) for (let e = 0; e < cols.length; e++) out[cols[e]!] = out[cols[e]!]! + 1;
  else for (let e = 0; e < cols.length; e++) out[cols[e]!] = out[cols[e]!]! + coef[e]!;
}
