/**
 * Products of an SAE training step that touch only the active entries of the code (sparse-code.ts), as typed-array
 * loops on row-major host matrices. With B rows, L0 active entries per row and width d, each costs B·L0·d
 * multiply-adds instead of the dense B·d_sae·d: the decoder f·W_dec, the code's gradient g·W_decᵀ at the active
 * entries, and the weight gradients fᵀ·g and xᵀ·δ (accumulated per latent, i.e. the latter transposed).
 * Inner loops are unrolled by four (measured ≈ 1.3× faster in V8 than the plain loop).
 */
import type { SparseCode } from "./sparse-code.js";

/** out[b] += Σ_e coef[e] · W[col_e] over row b's entries; W is [width, d], out [rows, d]. */
export function addSparseTimesDense(
  code: SparseCode,
  coef: Float32Array,
  W: Float32Array,
  d: number,
  out: Float32Array,
): void {
  const { rowStart, cols } = code;
  const d4 = d - (d % 4);
  for (let b = 0; b < code.rows; b++) {
    const o = b * d;
    for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) {
      const v = coef[e]!;
      const w = cols[e]! * d;
      let j = 0;
      for (; j < d4; j += 4) {
        out[o + j] = out[o + j]! + v * W[w + j]!;
        out[o + j + 1] = out[o + j + 1]! + v * W[w + j + 1]!;
        out[o + j + 2] = out[o + j + 2]! + v * W[w + j + 2]!;
        out[o + j + 3] = out[o + j + 3]! + v * W[w + j + 3]!;
      }
      for (; j < d; j++) out[o + j] = out[o + j]! + v * W[w + j]!;
    }
  }
}

/** For each entry e of row b: ⟨G[b], W[col_e]⟩ — the gradient of the code at its active entries. G is [rows, d]. */
export function sparseRowDots(code: SparseCode, G: Float32Array, W: Float32Array, d: number): Float32Array {
  const { rowStart, cols } = code;
  const out = new Float32Array(cols.length);
  const d4 = d - (d % 4);
  for (let b = 0; b < code.rows; b++) {
    const o = b * d;
    for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) {
      const w = cols[e]! * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j < d4; j += 4) {
        s0 += G[o + j]! * W[w + j]!;
        s1 += G[o + j + 1]! * W[w + j + 1]!;
        s2 += G[o + j + 2]! * W[w + j + 2]!;
        s3 += G[o + j + 3]! * W[w + j + 3]!;
      }
      for (; j < d; j++) s0 += G[o + j]! * W[w + j]!;
      out[e] = s0 + s1 + (s2 + s3);
    }
  }
  return out;
}

/** acc[col_e] += coef[e] · R[b] over all entries: the [width, d] product (code with values coef)ᵀ · R. */
export function addSparseTransposeTimesDense(
  code: SparseCode,
  coef: Float32Array,
  R: Float32Array,
  d: number,
  acc: Float32Array,
): void {
  const { rowStart, cols } = code;
  const d4 = d - (d % 4);
  for (let b = 0; b < code.rows; b++) {
    const r = b * d;
    for (let e = rowStart[b]!; e < rowStart[b + 1]!; e++) {
      const v = coef[e]!;
      const a = cols[e]! * d;
      let j = 0;
      for (; j < d4; j += 4) {
        acc[a + j] = acc[a + j]! + v * R[r + j]!;
        acc[a + j + 1] = acc[a + j + 1]! + v * R[r + j + 1]!;
        acc[a + j + 2] = acc[a + j + 2]! + v * R[r + j + 2]!;
        acc[a + j + 3] = acc[a + j + 3]! + v * R[r + j + 3]!;
      }
      for (; j < d; j++) acc[a + j] = acc[a + j]! + v * R[r + j]!;
    }
  }
}

/** out[col_e] += coef[e] over all entries (column sums; coef = null counts entries). */
export function addColumnSums(code: SparseCode, coef: Float32Array | null, out: Float32Array): void {
  const { cols } = code;
  if (coef === null) for (let e = 0; e < cols.length; e++) out[cols[e]!] = out[cols[e]!]! + 1;
  else for (let e = 0; e < cols.length; e++) out[cols[e]!] = out[cols[e]!]! + coef[e]!;
}
