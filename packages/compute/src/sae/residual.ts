/**
 * The residual SAE: the null control of the interaction study. An SAE of the same recipe is trained on the main
 * SAE's error r = x − SAE(x) and scored by the relative error reduction of r on held-out rows,
 * ER = 1 − Σ‖r − r̂‖² / Σ‖r‖², with a bootstrap 95% CI that resamples whole context windows.
 * A fair control: r is normalised to its own mean norm √d (so λ means what it means for the main SAE), the learning
 * rate follows the main SAE's schedule (decay to lr/10, never to zero), and λ/3 and 3λ are reported beside λ.
 */
import { type BootstrapOptions, errorReductionCi } from "../stats/bootstrap.js";
import type { TrainStopReason } from "../train/loop.js";
import { evaluateSae } from "./evaluate.js";
import type { ResumableRowSource } from "./row-source.js";
import type { Sae } from "./sae.js";
import { type TrainSaeOptions, trainSae } from "./train.js";
import type { RowSource, SaeTrainingProgress } from "./types.js";

/** Rows r = x − SAE(x) for the rows x of `source` (resumable when `source` is). */
export function residualRowSource(source: RowSource, sae: Sae): RowSource {
  if (source.d !== sae.dIn) {
    throw new Error(
      `the rows have width ${source.d} but the SAE takes d_in ${sae.dIn}; use the SAE's own activations.`,
    );
  }
  const residualOf = (batchSize: number) => {
    const x = source.nextBatch(batchSize);
    const { xHat } = sae.reconstruct(x);
    for (let i = 0; i < x.length; i++) x[i]! -= xHat[i]!;
    return x;
  };
  const inner = source as Partial<ResumableRowSource>;
  if (typeof inner.state === "function" && typeof inner.restore === "function") {
    const state = inner.state.bind(source);
    const restore = inner.restore.bind(source);
    return { d: source.d, nextBatch: residualOf, state, restore } as ResumableRowSource;
  }
  return { d: source.d, nextBatch: residualOf };
}

export interface ResidualSaeOptions
  extends Omit<TrainSaeOptions, "architecture" | "l1" | "normalize" | "onProgress" | "dSae" | "metadata"> {
  /** λ of the main comparison; the control is also trained at λ × each of `l1Factors` (default [1/3, 3]). */
  l1: number;
  l1Factors?: number[];
  /** Latents (default: the main SAE's d_sae). */
  dSae?: number;
  /** CI resamples and seed; `groups` is set from the held-out rows' windows. */
  bootstrap?: Omit<BootstrapOptions, "groups">;
  onProgress?: (l1: number, p: SaeTrainingProgress) => void;
}

export interface ResidualHeldOut {
  /** Held-out activation rows x [n·d_in]. */
  x: Float32Array;
  /** Context window of each row (cluster of the bootstrap). */
  groups: Int32Array;
}

export interface ResidualSaeRun {
  l1: number;
  /** Held-out relative error reduction of r and its 95% CI. */
  er: number;
  ci95: [number, number];
  /** The residual SAE's own held-out statistics on r. */
  l0: number;
  dead_fraction: number;
  stopReason: TrainStopReason;
}

export interface ResidualSaeReport {
  heldOutRows: number;
  /** Mean ‖x‖ and mean ‖r‖ over the held-out rows, and Σ‖r‖² / Σ‖x‖². */
  mean_norm_x: number;
  mean_norm_r: number;
  residual_energy_fraction: number;
  /** The run at the given λ. */
  main: ResidualSaeRun;
  /** Every λ, ascending. */
  runs: ResidualSaeRun[];
}

function rowSquares(rows: Float32Array, d: number): Float64Array {
  const n = rows.length / d;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += rows[r * d + j]! ** 2;
    out[r] = sq;
  }
  return out;
}

/**
 * Trains the residual SAE of `sae` at λ, λ/3 and 3λ (each on rows from a fresh `trainRows()`), and scores each on
 * the held-out rows.
 */
export async function trainResidualSae(
  sae: Sae,
  trainRows: () => RowSource,
  heldOut: ResidualHeldOut,
  options: ResidualSaeOptions,
): Promise<ResidualSaeReport> {
  const d = sae.dIn;
  const n = heldOut.x.length / d;
  if (!Number.isInteger(n) || n < 2 || heldOut.groups.length !== n) {
    throw new Error(
      `held-out data: ${heldOut.x.length} values and ${heldOut.groups.length} groups do not form the same ≥ 2 rows of width ${d}.`,
    );
  }
  const { l1, l1Factors, dSae, bootstrap, onProgress, ...recipe } = options;
  const r = residualRowSource({ d, nextBatch: () => heldOut.x.slice() }, sae).nextBatch(n);
  const total = rowSquares(r, d);
  const xSquares = rowSquares(heldOut.x, d);
  const sum = (a: Float64Array, f: (v: number) => number = (v) => v) => a.reduce((s, v) => s + f(v), 0);
  const runs: ResidualSaeRun[] = [];
  for (const value of [l1, ...(l1Factors ?? [1 / 3, 3]).map((f) => l1 * f)]) {
    const trained = await trainSae(residualRowSource(trainRows(), sae), {
      ...recipe,
      architecture: "standard",
      dSae: dSae ?? sae.dSae,
      l1: value,
      normalize: "expected_average_only_in",
      ...(onProgress ? { onProgress: (p: SaeTrainingProgress) => onProgress(value, p) } : {}),
    });
    const { xHat } = trained.sae.reconstruct(r);
    for (let i = 0; i < xHat.length; i++) xHat[i] = r[i]! - xHat[i]!;
    const { value: er, ci95 } = errorReductionCi(
      { residual: rowSquares(xHat, d), total },
      { ...bootstrap, groups: heldOut.groups },
    );
    const metrics = evaluateSae(trained.sae, r);
    trained.sae.dispose();
    runs.push({
      l1: value,
      er,
      ci95,
      l0: metrics.l0,
      dead_fraction: metrics.dead_fraction,
      stopReason: trained.stopReason,
    });
    if (trained.stopReason === "aborted") break;
  }
  const main = runs[0]!;
  return {
    heldOutRows: n,
    mean_norm_x: sum(xSquares, Math.sqrt) / n,
    mean_norm_r: sum(total, Math.sqrt) / n,
    residual_energy_fraction: sum(total) / sum(xSquares),
    main,
    runs: [...runs].sort((a, b) => a.l1 - b.l1),
  };
}
