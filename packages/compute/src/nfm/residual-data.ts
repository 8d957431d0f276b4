/**
 * The rows the NFM and its controls learn from: the SAE code f (stored sparse, as CSR), the input x and the SAE's
 * residual r = x − SAE(x). Models read batches by row index, so every model trains on the same rows and is
 * evaluated on the same held-out rows. The same rows can serve a shifted target, r − (x·A + c) (the nonlinear error
 * r_nl), computed at each read from x and r rather than stored as a third n × d_in array.
 */
import * as tf from "@tensorflow/tfjs";
import { denseProducts } from "../backend.js";
import { tidyValues } from "../dense/tidy-values.js";
import type { Sae } from "../sae/sae.js";
import type { SparseCode } from "../sae/sparse-code.js";
import { shared, sharedFloat32 } from "../workers/shared-arrays.js";
import { denseCodes } from "./sparse-product.js";

export interface ResidualBatch {
  /** Dense SAE codes [b·dSae]. */
  f: Float32Array;
  /** Inputs [b·dIn]. */
  x: Float32Array;
  /** Targets (residuals) [b·dIn]. */
  r: Float32Array;
}

/** A batch with its codes kept sparse (what training and evaluation read). */
export interface SparseResidualBatch {
  f: SparseCode;
  x: Float32Array;
  r: Float32Array;
}

export interface ResidualData {
  readonly rows: number;
  readonly dSae: number;
  readonly dIn: number;
  /** Rows at `indices`; `targetIndices` (default = indices) picks the targets' rows (permutation null). */
  batch(indices: ArrayLike<number>, targetIndices?: ArrayLike<number>): ResidualBatch;
  /** The same rows with f as sparse codes: O(nnz) instead of O(b·d_sae) memory. `withX` false leaves x empty (for
   *  models that do not read it: one copy less per batch). */
  sparseBatch(indices: ArrayLike<number>, targetIndices?: ArrayLike<number>, withX?: boolean): SparseResidualBatch;
  /** x or the target [b·dIn] of the rows at `indices` (no codes built); "r" is the target, shifted when the data
   *  has a shift. */
  rowsOf(part: "x" | "r", indices: ArrayLike<number>): Float32Array;
  /** Number of active features of each row. */
  activeCount(row: number): number;
  /** Active feature indices and values of a row. */
  activeFeatures(row: number): { index: Int32Array; value: Float32Array };
  /** The stored arrays (shared with worker threads by the study pool; do not modify). `r` is the stored residual:
   *  read targets through rowsOf or sparseBatch, which apply the shift. */
  readonly parts: { f: SparseRows; x: Float32Array; r: Float32Array; shift: TargetShift | null };
}

/** An affine map of x subtracted from every target: the data's targets are r − (x·A + c). */
export interface TargetShift {
  /** A [dIn·dIn], row-major (input i, output j). */
  weights: Float32Array;
  /** c [dIn]. */
  intercept: Float32Array;
}

/** r − (x·A + c) in place for rows of r and x [rows·dIn]; the product runs on the compute engine. */
function applyShift(r: Float32Array, x: Float32Array, shift: TargetShift, dIn: number): Float32Array {
  const rows = r.length / dIn;
  if (rows === 0) return r;
  const predicted = tidyValues(() =>
    denseProducts().product(tf.tensor2d(x, [rows, dIn]), tf.tensor2d(shift.weights, [dIn, dIn])),
  );
  for (let i = 0; i < r.length; i++) r[i]! -= predicted[i]! + shift.intercept[i % dIn]!;
  return r;
}

/** Sparse rows (CSR): row i's active features are index/value[offsets[i] .. offsets[i+1]). */
export interface SparseRows {
  offsets: Int32Array;
  index: Int32Array;
  value: Float32Array;
}

/** Appends the non-zeros of dense rows f [n·dSae] to CSR buffers that grow by doubling; builds into shared memory. */
class CsrBuilder {
  private offsets = new Int32Array(1024);
  private index = new Int32Array(1024);
  private value = new Float32Array(1024);
  private rows = 0;
  private nnz = 0;

  constructor(private readonly dSae: number) {}

  addDense(f: Float32Array): void {
    const rows = f.length / this.dSae;
    for (let row = 0; row < rows; row++) {
      const base = row * this.dSae;
      for (let i = 0; i < this.dSae; i++) {
        const v = f[base + i]!;
        if (v === 0) continue;
        if (this.nnz === this.index.length) this.growEntries();
        this.index[this.nnz] = i;
        this.value[this.nnz++] = v;
      }
      if (this.rows + 2 > this.offsets.length) {
        const grown = new Int32Array(this.offsets.length * 2);
        grown.set(this.offsets);
        this.offsets = grown;
      }
      this.offsets[++this.rows] = this.nnz;
    }
  }

  private growEntries(): void {
    const index = new Int32Array(this.index.length * 2);
    index.set(this.index);
    const value = new Float32Array(this.value.length * 2);
    value.set(this.value);
    this.index = index;
    this.value = value;
  }

  build(): SparseRows {
    return {
      offsets: shared(this.offsets.subarray(0, this.rows + 1)),
      index: shared(this.index.subarray(0, this.nnz)),
      value: shared(this.value.subarray(0, this.nnz)),
    };
  }
}

/** Residual data from sparse codes and dense x, r [n·dIn]; with `shift`, the targets are r − (x·A + c). */
export function residualDataSparse(
  f: SparseRows,
  x: Float32Array,
  r: Float32Array,
  dSae: number,
  dIn: number,
  shift: TargetShift | null = null,
): ResidualData {
  const n = x.length / dIn;
  if (!Number.isInteger(n) || r.length !== x.length || f.offsets.length !== n + 1) {
    throw new Error(
      `residual data: f has ${f.offsets.length - 1} rows, x ${x.length} values, r ${r.length}; expected the same n rows with x, r [n·${dIn}].`,
    );
  }
  if (shift && (shift.weights.length !== dIn * dIn || shift.intercept.length !== dIn)) {
    throw new Error(
      `residual data: the target shift has ${shift.weights.length} weights and ${shift.intercept.length} intercepts; expected ${dIn}×${dIn} and ${dIn}.`,
    );
  }
  const { offsets, index, value } = f;
  const copyRows = (source: Float32Array, indices: ArrayLike<number>) => {
    const out = new Float32Array(indices.length * dIn);
    for (let k = 0; k < indices.length; k++) {
      const row = indices[k]!;
      out.set(source.subarray(row * dIn, (row + 1) * dIn), k * dIn);
    }
    return out;
  };
  const rowsOf = (part: "x" | "r", indices: ArrayLike<number>) => {
    if (part === "x") return copyRows(x, indices);
    const targets = copyRows(r, indices);
    return shift ? applyShift(targets, copyRows(x, indices), shift, dIn) : targets;
  };
  const sparseBatch = (indices: ArrayLike<number>, targetIndices: ArrayLike<number> = indices, withX = true) => {
    const b = indices.length;
    const batchOffsets = new Int32Array(b + 1);
    for (let k = 0; k < b; k++) {
      const row = indices[k]!;
      batchOffsets[k + 1] = batchOffsets[k]! + offsets[row + 1]! - offsets[row]!;
    }
    const batchIndex = new Int32Array(batchOffsets[b]!);
    const batchValue = new Float32Array(batchOffsets[b]!);
    for (let k = 0; k < b; k++) {
      const row = indices[k]!;
      batchIndex.set(index.subarray(offsets[row]!, offsets[row + 1]!), batchOffsets[k]!);
      batchValue.set(value.subarray(offsets[row]!, offsets[row + 1]!), batchOffsets[k]!);
    }
    const codes = { rows: b, width: dSae, rowStart: batchOffsets, cols: batchIndex, vals: batchValue };
    return { f: codes, x: withX ? rowsOf("x", indices) : new Float32Array(0), r: rowsOf("r", targetIndices) };
  };
  return {
    rows: n,
    dSae,
    dIn,
    parts: { f, x, r, shift },
    sparseBatch,
    rowsOf,
    batch(indices, targetIndices = indices) {
      const { f: codes, x: xb, r: rb } = sparseBatch(indices, targetIndices);
      return { f: denseCodes(codes), x: xb, r: rb };
    },
    activeCount: (row) => offsets[row + 1]! - offsets[row]!,
    activeFeatures: (row) => ({
      index: index.subarray(offsets[row]!, offsets[row + 1]!),
      value: value.subarray(offsets[row]!, offsets[row + 1]!),
    }),
  };
}

/** Residual data from dense arrays: f [n·dSae], x and r [n·dIn] (f is stored sparse). */
export function residualData(
  f: Float32Array,
  x: Float32Array,
  r: Float32Array,
  dSae: number,
  dIn: number,
): ResidualData {
  if (f.length % dSae !== 0) throw new Error(`residualData: f has ${f.length} values, not whole rows of ${dSae}.`);
  const builder = new CsrBuilder(dSae);
  builder.addDense(f);
  return residualDataSparse(builder.build(), x, r, dSae, dIn);
}

/** Runs the SAE over x [n·d_in] in chunks and keeps f sparse: memory is O(n·(d_in + nnz)), not O(n·d_sae). */
export function residualDataFromSae(sae: Sae, x: Float32Array, chunkRows = 4096): ResidualData {
  const d = sae.dIn;
  const n = x.length / d;
  if (!Number.isInteger(n)) throw new Error(`x has ${x.length} values, not whole rows of d_in=${d}.`);
  const r = sharedFloat32(x.length);
  const builder = new CsrBuilder(sae.dSae);
  for (let start = 0; start < n; start += chunkRows) {
    const rows = Math.min(chunkRows, n - start);
    const chunk = x.subarray(start * d, (start + rows) * d);
    const { f, xHat } = sae.reconstruct(chunk);
    for (let i = 0; i < chunk.length; i++) r[start * d + i] = chunk[i]! - xHat[i]!;
    builder.addDense(f);
  }
  return residualDataSparse(builder.build(), x, r, sae.dSae, d);
}

/** The same rows with each row's code cut to its `n` largest activations (the seed's "top-N features" input). */
export function topNFeatures(data: ResidualData, n: number): ResidualData {
  if (!Number.isInteger(n) || n < 1) throw new Error(`topNFeatures: n must be a positive integer, got ${n}.`);
  const offsets = new Int32Array(data.rows + 1);
  const index: number[] = [];
  const value: number[] = [];
  for (let row = 0; row < data.rows; row++) {
    const active = data.activeFeatures(row);
    const order = Array.from(active.index.keys())
      .sort((a, b) => active.value[b]! - active.value[a]!)
      .slice(0, n)
      .sort((a, b) => active.index[a]! - active.index[b]!);
    for (const k of order) {
      index.push(active.index[k]!);
      value.push(active.value[k]!);
    }
    offsets[row + 1] = index.length;
  }
  return residualDataSparse(
    { offsets, index: Int32Array.from(index), value: Float32Array.from(value) },
    data.parts.x,
    data.parts.r,
    data.dSae,
    data.dIn,
    data.parts.shift,
  );
}
