/**
 * The ridge normal equations of an affine fit on the code f, (F_cᵀF_c + λI)·β = F_cᵀR_c (F_c, R_c centred over the
 * training rows), solved without forming the p × p Gram matrix: preconditioned conjugate gradients (Jacobi
 * preconditioner, one independent CG per output column, all columns advanced together) whose matrix products go
 * through the sparse codes, F_cᵀ(F_c·P) = Fᵀ(F·P − 1·ūᵀP) − ū·1ᵀ(F_c·P). Memory is a few p × d_in arrays and no
 * more; each iteration costs ≈ 4·nnz(F)·d_in flops. Used for SAEs too wide for a dense Gram matrix and its Cholesky
 * factor (p² float64 values, p³/3 flops).
 */
import type { ResidualData } from "./residual-data.js";

/** The column sums the solver needs: n, ū and the centred Gram diagonal. */
export interface CodeMoments {
  n: number;
  meanU: Float64Array;
  /** diag(F_cᵀF_c). */
  diagonal: Float64Array;
}

export function codeMoments(data: ResidualData, rows: Int32Array): CodeMoments {
  const p = data.dSae;
  const n = rows.length;
  if (n === 0) throw new Error("affine fit: there are no training rows.");
  const sum = new Float64Array(p);
  const squares = new Float64Array(p);
  for (let k = 0; k < n; k++) {
    const { index, value } = data.activeFeatures(rows[k]!);
    for (let a = 0; a < index.length; a++) {
      sum[index[a]!]! += value[a]!;
      squares[index[a]!]! += value[a]! * value[a]!;
    }
  }
  const meanU = sum.map((s) => s / n);
  const diagonal = squares.map((s, i) => s - n * meanU[i]! * meanU[i]!);
  return { n, meanU, diagonal };
}

export interface IterativeSolveOptions {
  /** Stop a column when ‖residual‖ ≤ tolerance · ‖right-hand side‖ (default 1e-10). */
  tolerance?: number;
  /** Iteration cap (default 2,000); columns not converged by then make the solve fail (null). */
  maxIterations?: number;
  /** Starting point [p · d] (e.g. the solution at a neighbouring λ); default zero. */
  start?: Float64Array;
}

export interface IterativeSolution {
  /** β [p · d]; zero rows for inputs outside `live`. */
  weights: Float64Array;
  iterations: number;
}

/** A = F_cᵀF_c·P + λ·P for P [p · d] on the live inputs, written into out. */
function applyNormal(
  data: ResidualData,
  rows: Int32Array,
  moments: CodeMoments,
  live: Uint8Array,
  lambda: number,
  P: Float64Array,
  d: number,
  out: Float64Array,
): void {
  const p = moments.meanU.length;
  const meanP = new Float64Array(d);
  for (let i = 0; i < p; i++) {
    const u = moments.meanU[i]!;
    if (u === 0) continue;
    const base = i * d;
    for (let j = 0; j < d; j++) meanP[j]! += u * P[base + j]!;
  }
  out.fill(0);
  const y = new Float64Array(d);
  const sumY = new Float64Array(d);
  for (let k = 0; k < rows.length; k++) {
    const { index, value } = data.activeFeatures(rows[k]!);
    for (let j = 0; j < d; j++) y[j] = -meanP[j]!;
    for (let a = 0; a < index.length; a++) {
      const v = value[a]!;
      const base = index[a]! * d;
      for (let j = 0; j < d; j++) y[j]! += v * P[base + j]!;
    }
    for (let a = 0; a < index.length; a++) {
      const v = value[a]!;
      const base = index[a]! * d;
      for (let j = 0; j < d; j++) out[base + j]! += v * y[j]!;
    }
    for (let j = 0; j < d; j++) sumY[j]! += y[j]!;
  }
  for (let i = 0; i < p; i++) {
    const base = i * d;
    if (!live[i]) {
      for (let j = 0; j < d; j++) out[base + j] = 0;
      continue;
    }
    const u = moments.meanU[i]!;
    for (let j = 0; j < d; j++) out[base + j]! += lambda * P[base + j]! - u * sumY[j]!;
  }
}

/** Solves (F_cᵀF_c + λI)·β = B for B [p · d] (the centred cross term) by Jacobi-preconditioned CG; null if it fails. */
export function solveRidgeIterative(
  data: ResidualData,
  rows: Int32Array,
  moments: CodeMoments,
  live: Uint8Array,
  lambda: number,
  B: Float64Array,
  d: number,
  options: IterativeSolveOptions = {},
): IterativeSolution | null {
  const p = moments.meanU.length;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 2000;
  const x = options.start ? Float64Array.from(options.start) : new Float64Array(p * d);
  const inverse = new Float64Array(p);
  for (let i = 0; i < p; i++) if (live[i]) inverse[i] = 1 / (moments.diagonal[i]! + lambda);
  const r = new Float64Array(p * d);
  const ax = new Float64Array(p * d);
  applyNormal(data, rows, moments, live, lambda, x, d, ax);
  for (let i = 0; i < p; i++) {
    if (!live[i]) continue;
    for (let j = 0; j < d; j++) r[i * d + j] = B[i * d + j]! - ax[i * d + j]!;
  }
  const columnNorm = (v: Float64Array) => {
    const out = new Float64Array(d);
    for (let i = 0; i < p; i++) for (let j = 0; j < d; j++) out[j]! += v[i * d + j]! ** 2;
    return out.map(Math.sqrt);
  };
  const bNorm = columnNorm(B);
  const z = new Float64Array(p * d);
  for (let i = 0; i < p; i++) for (let j = 0; j < d; j++) z[i * d + j] = inverse[i]! * r[i * d + j]!;
  const search = Float64Array.from(z);
  const rz = new Float64Array(d);
  for (let i = 0; i < p; i++) for (let j = 0; j < d; j++) rz[j]! += r[i * d + j]! * z[i * d + j]!;
  const done = new Uint8Array(d);
  const as = new Float64Array(p * d);
  for (let iteration = 0; iteration <= maxIterations; iteration++) {
    const rNorm = columnNorm(r);
    let open = 0;
    for (let j = 0; j < d; j++) {
      if (rNorm[j]! <= tolerance * Math.max(bNorm[j]!, 1e-300)) done[j] = 1;
      if (!done[j]) open++;
    }
    if (open === 0) {
      return { weights: x, iterations: iteration };
    }
    if (iteration === maxIterations) return null;
    applyNormal(data, rows, moments, live, lambda, search, d, as);
    const sAs = new Float64Array(d);
    for (let i = 0; i < p; i++) for (let j = 0; j < d; j++) sAs[j]! += search[i * d + j]! * as[i * d + j]!;
    const alpha = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      if (done[j]) continue;
      // A loss of positive curvature means the system is singular in this direction (λ = 0, collinear codes).
      if (!(sAs[j]! > 0)) return null;
      alpha[j] = rz[j]! / sAs[j]!;
    }
    for (let i = 0; i < p; i++) {
      const base = i * d;
      for (let j = 0; j < d; j++) {
        x[base + j]! += alpha[j]! * search[base + j]!;
        r[base + j]! -= alpha[j]! * as[base + j]!;
        z[base + j] = inverse[i]! * r[base + j]!;
      }
    }
    const rzNext = new Float64Array(d);
    for (let i = 0; i < p; i++) for (let j = 0; j < d; j++) rzNext[j]! += r[i * d + j]! * z[i * d + j]!;
    const beta = new Float64Array(d);
    for (let j = 0; j < d; j++) beta[j] = done[j] || rz[j] === 0 ? 0 : rzNext[j]! / rz[j]!;
    for (let i = 0; i < p; i++) {
      const base = i * d;
      for (let j = 0; j < d; j++) search[base + j] = done[j] ? 0 : z[base + j]! + beta[j]! * search[base + j]!;
    }
    rz.set(rzNext);
  }
  return null;
}
