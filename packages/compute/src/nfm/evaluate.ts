/** Held-out evaluation of residual models: per-row errors and the relative error reduction with a bootstrap CI. */
import { type BootstrapOptions, errorReductionCi, type RowErrors } from "../stats/bootstrap.js";
import type { ResidualModel } from "./model.js";
import type { ResidualData, SparseResidualBatch } from "./residual-data.js";

const EVAL_BATCH = 2048;

/** ‖r − ŷ‖² and ‖r‖² for each of `rows`, with ŷ from any predictor of r given a batch; `targets` (default: the
 *  rows themselves) names the row whose r each row is paired with; `withX` false: the predictor does not read x. */
export function predictorRowErrors(
  data: ResidualData,
  rows: Int32Array,
  predict: (batch: SparseResidualBatch, count: number) => Float32Array,
  targets: Int32Array = rows,
  withX = true,
): RowErrors {
  const residual = new Float64Array(rows.length);
  const total = new Float64Array(rows.length);
  const d = data.dIn;
  for (let start = 0; start < rows.length; start += EVAL_BATCH) {
    const end = Math.min(rows.length, start + EVAL_BATCH);
    const idx = rows.subarray(start, end);
    const batch = data.sparseBatch(idx, targets.subarray(start, end), withX);
    const y = predict(batch, idx.length);
    for (let i = 0; i < idx.length; i++) {
      let e = 0;
      let t = 0;
      for (let j = 0; j < d; j++) {
        const r = batch.r[i * d + j]!;
        e += (r - y[i * d + j]!) ** 2;
        t += r * r;
      }
      residual[start + i] = e;
      total[start + i] = t;
    }
  }
  return { residual, total };
}

/** Per-row errors of a trained residual model on `rows` (held-out), paired with `targets` (default: themselves). */
export function modelRowErrors(
  model: ResidualModel,
  data: ResidualData,
  rows: Int32Array,
  targets: Int32Array = rows,
): RowErrors {
  const needsX = model.config.linear === "x";
  return predictorRowErrors(data, rows, (b, n) => model.predict(b.f, needsX ? b.x : null, n), targets, needsX);
}

export interface ErrorReduction {
  /** 1 − Σ‖r − ŷ‖² / Σ‖r‖² over the rows. */
  er: number;
  ci95: [number, number];
  rows: number;
}

/** ER of `model` on held-out `rows` with a bootstrap 95% CI over rows. */
export function errorReduction(
  model: ResidualModel,
  data: ResidualData,
  rows: Int32Array,
  options: BootstrapOptions = {},
): ErrorReduction & { rowErrors: RowErrors } {
  const rowErrors = modelRowErrors(model, data, rows);
  const { value, ci95 } = errorReductionCi(rowErrors, options);
  return { er: value, ci95, rows: rows.length, rowErrors };
}
