/**
 * Exact affine fits of the SAE residual r from the code f or the input x: ridge regression from the normal equations,
 * ‖F̃β + 1c − R‖² + λ‖β‖² summed over the training rows, with the intercept c unpenalised (the problem is centred)
 * and λ chosen on the validation rows. One streaming pass over the training rows accumulates the sums in float64;
 * memory is O(p² + p·d_in), never O(rows). On f the Gram matrix is built from each row's active features only
 * (cost Σ nnz² instead of rows · d_sae²). Features never active on the training rows get zero weights. Several
 * problems on the same inputs and training rows (r, r_nl, permuted targets) share one Gram matrix and one Cholesky
 * factor per λ (fitAffineMany).
 */
import { yieldToEventLoop } from "../progress/yield-to-event-loop.js";
import { errorReductionOf, type RowErrors } from "../stats/bootstrap.js";
import { codeMoments, solveRidgeIterative } from "./affine-iterative.js";
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
  /** How the normal equations are solved (default auto). */
  solver?: AffineSolver;
  /** Stops the fit before it starts and between two λ (the event loop runs there, so an abort event can arrive). */
  signal?: AbortSignal;
}

/** One target problem of fitAffineMany: its data (the shared inputs with its own r) and target pairings. */
export interface AffineProblem {
  data: ResidualData;
  /** Target row of each training / validation row (default: the row itself). */
  trainTargets?: Int32Array;
  validationTargets?: Int32Array;
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
export const RIDGE_GRID: readonly number[] = [0, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

/** The centred Gram matrix of the inputs over the training rows. */
interface Gram {
  n: number;
  /** Σ (u − ū)(u − ū)ᵀ [p · p]. */
  gram: Float64Array;
  meanU: Float64Array;
}

/** A problem's centred cross term Σ (u − ū)(r − r̄)ᵀ [p · d] and target mean. */
interface Cross {
  cross: Float64Array;
  meanR: Float64Array;
}

/** Rows of targets read at a time: the data computes shifted targets (r_nl) per read, in products of this size. */
const TARGET_CHUNK_ROWS = 2048;

/** Calls `visit(start, targets)` with the targets [chunk·dIn] of the paired rows, chunk by chunk, in order. */
function forTargetChunks(
  data: ResidualData,
  pairing: RowPairing,
  visit: (start: number, targets: Float32Array) => void,
): void {
  const targets = pairing.targets ?? pairing.rows;
  for (let start = 0; start < targets.length; start += TARGET_CHUNK_ROWS) {
    visit(start, data.rowsOf("r", targets.subarray(start, start + TARGET_CHUNK_ROWS)));
  }
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

/** Collects a row's non-zero inputs into idx/val; returns how many. */
function rowInputs(data: ResidualData, input: AffineInput, row: number, idx: Int32Array, val: Float64Array): number {
  let m = 0;
  inputsOf(data, input, row, (i, v) => {
    idx[m] = i;
    val[m] = v;
    m++;
  });
  return m;
}

function accumulateGram(data: ResidualData, input: AffineInput, rows: Int32Array): Gram {
  const p = input === "f" ? data.dSae : data.dIn;
  const n = rows.length;
  if (n === 0) throw new Error("affine fit: there are no training rows.");
  const gram = new Float64Array(p * p);
  const sumU = new Float64Array(p);
  const idx = new Int32Array(p);
  const val = new Float64Array(p);
  for (let k = 0; k < n; k++) {
    const m = rowInputs(data, input, rows[k]!, idx, val);
    for (let a = 0; a < m; a++) {
      const i = idx[a]!;
      const vi = val[a]!;
      sumU[i]! += vi;
      // Each unordered pair once, into the upper triangle (whatever order the row lists its inputs in).
      for (let b = a; b < m; b++) {
        const j = idx[b]!;
        gram[j >= i ? i * p + j : j * p + i]! += vi * val[b]!;
      }
    }
  }
  const meanU = sumU.map((s) => s / n);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const c = gram[i * p + j]! - n * meanU[i]! * meanU[j]!;
      gram[i * p + j] = c;
      gram[j * p + i] = c;
    }
  }
  return { n, gram, meanU };
}

function accumulateCross(
  data: ResidualData,
  input: AffineInput,
  rows: Int32Array,
  targets: Int32Array | undefined,
  gram: Pick<Gram, "meanU">,
): Cross {
  const p = input === "f" ? data.dSae : data.dIn;
  const d = data.dIn;
  const n = rows.length;
  const cross = new Float64Array(p * d);
  const sumR = new Float64Array(d);
  const idx = new Int32Array(p);
  const val = new Float64Array(p);
  forTargetChunks(data, { rows, ...(targets ? { targets } : {}) }, (start, r) => {
    for (let c = 0; c * d < r.length; c++) {
      const target = c * d;
      const m = rowInputs(data, input, rows[start + c]!, idx, val);
      for (let a = 0; a < m; a++) {
        const vi = val[a]!;
        const base = idx[a]! * d;
        for (let j = 0; j < d; j++) cross[base + j]! += vi * r[target + j]!;
      }
      for (let j = 0; j < d; j++) sumR[j]! += r[target + j]!;
    }
  });
  const meanR = sumR.map((s) => s / n);
  for (let i = 0; i < p; i++) {
    const u = gram.meanU[i]!;
    if (u === 0) continue;
    for (let j = 0; j < d; j++) cross[i * d + j]! -= n * u * meanR[j]!;
  }
  return { cross, meanR };
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

/** The Cholesky factor of G + λI over the inputs `live`, or null when it is not positive definite. */
function factor(gram: Gram, p: number, live: Int32Array, lambda: number): Float64Array | null {
  const m = live.length;
  const a = new Float64Array(m * m);
  for (let s = 0; s < m; s++) {
    const i = live[s]!;
    for (let t = 0; t <= s; t++) a[s * m + t] = gram.gram[i * p + live[t]!]!;
    a[s * m + s]! += lambda;
  }
  return cholesky(a, m) ? a : null;
}

/** β and c of one problem from a factor (inputs outside `live` get zero weights). */
function solveWith(l: Float64Array, gram: Gram, cross: Cross, p: number, d: number, live: Int32Array) {
  const m = live.length;
  const b = new Float64Array(m * d);
  for (let s = 0; s < m; s++) b.set(cross.cross.subarray(live[s]! * d, (live[s]! + 1) * d), s * d);
  choleskySolve(l, m, b, d);
  const weights = new Float64Array(p * d);
  for (let s = 0; s < m; s++) weights.set(b.subarray(s * d, (s + 1) * d), live[s]! * d);
  return { weights, intercept: interceptOf(gram.meanU, cross.meanR, weights, d) };
}

/** The unpenalised intercept c = r̄ − ūᵀβ of a centred fit. */
function interceptOf(meanU: Float64Array, meanR: Float64Array, weights: Float64Array, d: number): Float64Array {
  const intercept = Float64Array.from(meanR);
  for (let i = 0; i < meanU.length; i++) {
    const u = meanU[i]!;
    if (u === 0) continue;
    for (let j = 0; j < d; j++) intercept[j]! -= u * weights[i * d + j]!;
  }
  return intercept;
}

/** Per-row ‖r − ŷ‖² and ‖r‖² of an affine map over paired rows (ER = 1 − Σ residual / Σ total). */
export function affineErrors(
  data: ResidualData,
  fit: Pick<AffineFit, "input" | "weights" | "intercept">,
  pairing: RowPairing,
): RowErrors & { residual: Float64Array; total: Float64Array } {
  const d = data.dIn;
  const n = pairing.rows.length;
  const residual = new Float64Array(n);
  const total = new Float64Array(n);
  const y = new Float64Array(d);
  forTargetChunks(data, pairing, (start, r) => {
    for (let c = 0; c * d < r.length; c++) {
      const k = start + c;
      y.set(fit.intercept);
      inputsOf(data, fit.input, pairing.rows[k]!, (i, v) => {
        const base = i * d;
        for (let j = 0; j < d; j++) y[j]! += v * fit.weights[base + j]!;
      });
      let e = 0;
      let t = 0;
      for (let j = 0; j < d; j++) {
        const v = r[c * d + j]!;
        e += (v - y[j]!) ** 2;
        t += v * v;
      }
      residual[k] = e;
      total[k] = t;
    }
  });
  return { residual, total };
}

/** The ridge fit with λ chosen on the validation rows (highest validation ER); fitted on the training rows only. */
export async function fitAffine(data: ResidualData, options: AffineFitOptions): Promise<AffineFit> {
  const problem: AffineProblem = {
    data,
    ...(options.train.targets ? { trainTargets: options.train.targets } : {}),
    ...(options.validation.targets ? { validationTargets: options.validation.targets } : {}),
  };
  const [fit] = await fitAffineMany(
    options.input,
    [problem],
    options.train.rows,
    options.validation.rows,
    options.ridgeGrid,
    options.solver,
    options.signal,
  );
  return fit!;
}

/**
 * Above this many inputs an f-side fit does not form the p × p Gram matrix (p² float64 values, a p³/3-flop factor per
 * λ): it solves the same normal equations by conjugate gradients through the sparse codes (affine-iterative.ts), to a
 * relative residual of 1e-10 per output column.
 */
export const DENSE_GRAM_LIMIT = 4096;

/** How the normal equations are solved: `auto` = a dense Cholesky factor up to DENSE_GRAM_LIMIT inputs, else CG. */
export type AffineSolver = "auto" | "dense" | "iterative";

type Solved = { weights: Float64Array; intercept: Float64Array };

/** Solves every problem's normal equations at a given λ (null for a problem whose system is not solvable there). */
interface RidgeSystem {
  /** Mean of the live inputs' centred Gram diagonal: λ candidates are multiples of it. */
  scale: number;
  solve(ridge: number): (Solved | null)[];
}

function denseSystem(
  input: AffineInput,
  problems: readonly AffineProblem[],
  trainRows: Int32Array,
  p: number,
  d: number,
): RidgeSystem {
  const first = problems[0]!;
  const gram = accumulateGram(first.data, input, trainRows);
  const crosses = problems.map((problem) =>
    accumulateCross(problem.data, input, trainRows, problem.trainTargets, gram),
  );
  const liveList: number[] = [];
  let diagonal = 0;
  for (let i = 0; i < p; i++) {
    const g = gram.gram[i * p + i]!;
    if (g > 0) {
      liveList.push(i);
      diagonal += g;
    }
  }
  const live = Int32Array.from(liveList);
  return {
    scale: live.length > 0 ? diagonal / live.length : 1,
    solve(ridge) {
      const l = factor(gram, p, live, ridge);
      return crosses.map((cross) => (l ? solveWith(l, gram, cross, p, d, live) : null));
    },
  };
}

function iterativeSystem(problems: readonly AffineProblem[], trainRows: Int32Array, d: number): RidgeSystem {
  const first = problems[0]!;
  const moments = codeMoments(first.data, trainRows);
  const crosses = problems.map((problem) =>
    accumulateCross(problem.data, "f", trainRows, problem.trainTargets, moments),
  );
  const live = Uint8Array.from(moments.diagonal, (g) => (g > 0 ? 1 : 0));
  let diagonal = 0;
  let count = 0;
  moments.diagonal.forEach((g, i) => {
    if (live[i]) {
      diagonal += g;
      count++;
    }
  });
  // Each problem starts from its solution at the previous λ (the grid is solved from the strongest ridge down).
  const previous: (Float64Array | null)[] = problems.map(() => null);
  return {
    scale: count > 0 ? diagonal / count : 1,
    solve(ridge) {
      return crosses.map((cross, k) => {
        const start = previous[k];
        const solution = solveRidgeIterative(first.data, trainRows, moments, live, ridge, cross.cross, d, {
          ...(start ? { start } : {}),
        });
        if (!solution) return null;
        previous[k] = solution.weights;
        return { weights: solution.weights, intercept: interceptOf(moments.meanU, cross.meanR, solution.weights, d) };
      });
    },
  };
}

/**
 * Ridge fits of several problems that share their inputs (the same f or x) and training rows: one Gram matrix and one
 * Cholesky factor per λ serve them all (or, for wide codes, one CG solve per problem and λ); each problem gets its
 * own λ chosen on its validation ER.
 */
export async function fitAffineMany(
  input: AffineInput,
  problems: readonly AffineProblem[],
  trainRows: Int32Array,
  validationRows: Int32Array,
  ridgeGrid: readonly number[] = RIDGE_GRID,
  solver: AffineSolver = "auto",
  signal?: AbortSignal,
): Promise<AffineFit[]> {
  if (validationRows.length === 0) throw new Error("affine fit: there are no validation rows.");
  const first = problems[0];
  if (!first) return [];
  const p = input === "f" ? first.data.dSae : first.data.dIn;
  const d = first.data.dIn;
  if (solver === "iterative" && input !== "f") {
    throw new Error("affine fit: the iterative solver works on the sparse code f; fit x with the dense solver.");
  }
  const iterative = solver === "iterative" || (solver === "auto" && input === "f" && p > DENSE_GRAM_LIMIT);
  const stopIfAborted = async () => {
    await yieldToEventLoop();
    if (signal?.aborted) throw new Error("the affine fit was cancelled.", { cause: signal.reason });
  };
  await stopIfAborted();
  const system = iterative ? iterativeSystem(problems, trainRows, d) : denseSystem(input, problems, trainRows, p, d);
  type Best = { ridge: number; val_er: number; weights: Float64Array; intercept: Float64Array };
  const best: (Best | null)[] = problems.map(() => null);
  const curves: { ridge: number; val_er: number }[][] = problems.map(() => []);
  const order = [...ridgeGrid].sort((a, b) => b - a);
  for (const multiple of order) {
    await stopIfAborted();
    const ridge = multiple * system.scale;
    const solutions = system.solve(ridge);
    for (const [k, problem] of problems.entries()) {
      const solved = solutions[k];
      if (!solved) continue;
      const validation: RowPairing = {
        rows: validationRows,
        ...(problem.validationTargets ? { targets: problem.validationTargets } : {}),
      };
      const valEr = errorReductionOf(affineErrors(problem.data, { input, ...solved }, validation));
      curves[k]!.push({ ridge, val_er: valEr });
      if (!best[k] || valEr >= best[k]!.val_er) best[k] = { ridge, val_er: valEr, ...solved };
    }
  }
  for (const curve of curves) curve.sort((a, b) => a.ridge - b.ridge);
  return problems.map((problem, k) => {
    const chosen = best[k];
    if (!chosen) {
      throw new Error(
        "affine fit: no ridge strength gave a solvable system; pass a ridge grid with a positive λ (ridgeGrid).",
      );
    }
    const train: RowPairing = { rows: trainRows, ...(problem.trainTargets ? { targets: problem.trainTargets } : {}) };
    return {
      input,
      inputs: p,
      outputs: d,
      weights: chosen.weights,
      intercept: chosen.intercept,
      ridge: chosen.ridge,
      train_er: errorReductionOf(affineErrors(problem.data, { input, ...chosen }, train)),
      val_er: chosen.val_er,
      curve: curves[k]!,
    };
  });
}
