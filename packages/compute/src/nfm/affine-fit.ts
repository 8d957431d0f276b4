/**
 * Exact affine fits of the SAE residual r from the code f or the input x: ridge regression from the normal equations,
 * ‖F̃β + 1c − R‖² + λ‖β‖² summed over the training rows, with the intercept c unpenalised (the problem is centred)
 * and λ chosen on the validation rows. One streaming pass over the training rows accumulates the sums in float64;
 * memory is O(p² + p·d_in), never O(rows). On f the Gram matrix is built from each row's active features only
 * (cost Σ nnz² instead of rows · d_sae²). Features never active on the training rows get zero weights.
 */
import { errorReductionOf, type RowErrors } from "../stats/bootstrap.js";
import type { ResidualData } from "./residual-data.js";

export type AffineInput = "f" | "x";

/** Rows and (for a permuted problem) the rows whose targets they are paired with. */
export interface RowPairing {
  rows: Int32Array;
  /** Target row of each row (default: the row itself). */
  targets?: Int32Array;
}

export interface AffineFitOptions {
  input: AffineInput;
  train: RowPairing;
  validation: RowPairing;
  /** Candidate λ as multiples of the mean diagonal of the centred Gram matrix (default RIDGE_GRID). */
  ridgeGrid?: readonly number[];
}

export interface AffineFit {
  input: AffineInput;
  /** Input width p (d_sae or d_in). */
  inputs: number;
  outputs: number;
  /** β [p · d_in], row-major by input. */
  weights: Float64Array;
  /** c [d_in]. */
  intercept: Float64Array;
  /** The chosen λ (raw units of the input). */
  ridge: number;
  train_er: number;
  val_er: number;
  /** Validation ER of each candidate λ (those whose system could be solved). */
  curve: { ridge: number; val_er: number }[];
}

/** λ candidates relative to the mean diagonal of the centred Gram matrix; 0 = plain least squares. */
export const RIDGE_GRID: readonly number[] = [0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

interface NormalEquations {
  n: number;
  /** Σ u uᵀ (upper triangle filled, then centred and mirrored). */
  gram: Float64Array;
  /** Σ u rᵀ [p · d]. */
  cross: Float64Array;
  meanU: Float64Array;
  meanR: Float64Array;
}

function targetRow(pairing: RowPairing, i: number): number {
  return pairing.targets ? pairing.targets[i]! : pairing.rows[i]!;
}

/** Calls `visit(index, value)` for the non-zero inputs of a row. */
function inputsOf(data: ResidualData, input: AffineInput, row: number, visit: (i: number, v: number) => void): void {
  if (input === "f") {
    const { index, value } = data.activeFeatures(row);
    for (let k = 0; k < index.length; k++) visit(index[k]!, value[k]!);
    return;
  }
  const { x } = data.parts;
  const d = data.dIn;
  for (let i = 0; i < d; i++) {
    const v = x[row * d + i]!;
    if (v !== 0) visit(i, v);
  }
}

function accumulate(data: ResidualData, input: AffineInput, train: RowPairing): NormalEquations {
  const p = input === "f" ? data.dSae : data.dIn;
  const d = data.dIn;
  const { r } = data.parts;
  const n = train.rows.length;
  if (n === 0) throw new Error("affine fit: there are no training rows.");
  const gram = new Float64Array(p * p);
  const cross = new Float64Array(p * d);
  const sumU = new Float64Array(p);
  const sumR = new Float64Array(d);
  const idx = new Int32Array(p);
  const val = new Float64Array(p);
  for (let k = 0; k < n; k++) {
    const row = train.rows[k]!;
    const target = targetRow(train, k) * d;
    let m = 0;
    inputsOf(data, input, row, (i, v) => {
      idx[m] = i;
      val[m] = v;
      m++;
    });
    for (let a = 0; a < m; a++) {
      const i = idx[a]!;
      const vi = val[a]!;
      sumU[i]! += vi;
      for (let b = 0; b < m; b++) {
        const j = idx[b]!;
        if (j >= i) gram[i * p + j]! += vi * val[b]!;
      }
      const base = i * d;
      for (let j = 0; j < d; j++) cross[base + j]! += vi * r[target + j]!;
    }
    for (let j = 0; j < d; j++) sumR[j]! += r[target + j]!;
  }
  const meanU = sumU.map((s) => s / n);
  const meanR = sumR.map((s) => s / n);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const c = gram[i * p + j]! - n * meanU[i]! * meanU[j]!;
      gram[i * p + j] = c;
      gram[j * p + i] = c;
    }
    for (let j = 0; j < d; j++) cross[i * d + j]! -= n * meanU[i]! * meanR[j]!;
  }
  return { n, gram, cross, meanU, meanR };
}

/** In-place Cholesky factor (lower triangle) of the m × m matrix a; false when it is not positive definite. */
function cholesky(a: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    let s = a[j * m + j]!;
    for (let k = 0; k < j; k++) s -= a[j * m + k]! ** 2;
    if (!(s > 1e-12 * Math.max(1, Math.abs(a[j * m + j]!)))) return false;
    const l = Math.sqrt(s);
    a[j * m + j] = l;
    for (let i = j + 1; i < m; i++) {
      let t = a[i * m + j]!;
      const ri = i * m;
      const rj = j * m;
      for (let k = 0; k < j; k++) t -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = t / l;
    }
  }
  return true;
}

/** Solves L Lᵀ X = B in place for B [m · d]. */
function choleskySolve(l: Float64Array, m: number, b: Float64Array, d: number): void {
  for (let i = 0; i < m; i++) {
    const bi = i * d;
    for (let k = 0; k < i; k++) {
      const lik = l[i * m + k]!;
      if (lik === 0) continue;
      const bk = k * d;
      for (let j = 0; j < d; j++) b[bi + j]! -= lik * b[bk + j]!;
    }
    const lii = l[i * m + i]!;
    for (let j = 0; j < d; j++) b[bi + j]! /= lii;
  }
  for (let i = m - 1; i >= 0; i--) {
    const bi = i * d;
    for (let k = i + 1; k < m; k++) {
      const lki = l[k * m + i]!;
      if (lki === 0) continue;
      const bk = k * d;
      for (let j = 0; j < d; j++) b[bi + j]! -= lki * b[bk + j]!;
    }
    const lii = l[i * m + i]!;
    for (let j = 0; j < d; j++) b[bi + j]! /= lii;
  }
}

/** β and c for one λ over the inputs `live` (the others get zero weights), or null when the system is singular. */
function solve(eq: NormalEquations, p: number, d: number, live: Int32Array, lambda: number) {
  const m = live.length;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m * d);
  for (let s = 0; s < m; s++) {
    const i = live[s]!;
    for (let t = 0; t <= s; t++) a[s * m + t] = eq.gram[i * p + live[t]!]!;
    a[s * m + s]! += lambda;
    b.set(eq.cross.subarray(i * d, (i + 1) * d), s * d);
  }
  if (!cholesky(a, m)) return null;
  choleskySolve(a, m, b, d);
  const weights = new Float64Array(p * d);
  for (let s = 0; s < m; s++) weights.set(b.subarray(s * d, (s + 1) * d), live[s]! * d);
  const intercept = Float64Array.from(eq.meanR);
  for (let i = 0; i < p; i++) {
    const u = eq.meanU[i]!;
    if (u === 0) continue;
    for (let j = 0; j < d; j++) intercept[j]! -= u * weights[i * d + j]!;
  }
  return { weights, intercept };
}

/** Per-row ‖r − ŷ‖² and ‖r‖² of an affine map over paired rows (ER = 1 − Σ residual / Σ total). */
export function affineErrors(
  data: ResidualData,
  fit: Pick<AffineFit, "input" | "weights" | "intercept">,
  pairing: RowPairing,
): RowErrors & { residual: Float64Array; total: Float64Array } {
  const d = data.dIn;
  const { r } = data.parts;
  const n = pairing.rows.length;
  const residual = new Float64Array(n);
  const total = new Float64Array(n);
  const y = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    y.set(fit.intercept);
    inputsOf(data, fit.input, pairing.rows[k]!, (i, v) => {
      const base = i * d;
      for (let j = 0; j < d; j++) y[j]! += v * fit.weights[base + j]!;
    });
    const target = targetRow(pairing, k) * d;
    let e = 0;
    let t = 0;
    for (let j = 0; j < d; j++) {
      const v = r[target + j]!;
      e += (v - y[j]!) ** 2;
      t += v * v;
    }
    residual[k] = e;
    total[k] = t;
  }
  return { residual, total };
}

/** The ridge fit with λ chosen on the validation rows (highest validation ER); fitted on the training rows only. */
export function fitAffine(data: ResidualData, options: AffineFitOptions): AffineFit {
  if (options.validation.rows.length === 0) throw new Error("affine fit: there are no validation rows.");
  const p = options.input === "f" ? data.dSae : data.dIn;
  const d = data.dIn;
  const eq = accumulate(data, options.input, options.train);
  const liveList: number[] = [];
  let diagonal = 0;
  for (let i = 0; i < p; i++) {
    const g = eq.gram[i * p + i]!;
    if (g > 0) {
      liveList.push(i);
      diagonal += g;
    }
  }
  const live = Int32Array.from(liveList);
  const scale = live.length > 0 ? diagonal / live.length : 1;
  let best: { ridge: number; val_er: number; weights: Float64Array; intercept: Float64Array } | null = null;
  const curve: { ridge: number; val_er: number }[] = [];
  for (const factor of options.ridgeGrid ?? RIDGE_GRID) {
    const ridge = factor * scale;
    const solved = solve(eq, p, d, live, ridge);
    if (!solved) continue;
    const valEr = errorReductionOf(affineErrors(data, { input: options.input, ...solved }, options.validation));
    curve.push({ ridge, val_er: valEr });
    if (!best || valEr > best.val_er) best = { ridge, val_er: valEr, ...solved };
  }
  if (!best) {
    throw new Error(
      "affine fit: no ridge strength gave a solvable system; pass a ridge grid with a positive λ (ridgeGrid).",
    );
  }
  const trainEr = errorReductionOf(affineErrors(data, { input: options.input, ...best }, options.train));
  return {
    input: options.input,
    inputs: p,
    outputs: d,
    weights: best.weights,
    intercept: best.intercept,
    ridge: best.ridge,
    train_er: trainEr,
    val_er: best.val_er,
    curve,
  };
}
