/**
 * Joint fine-tuning of a standard SAE together with a residual head (an NFM or a control on f). This is a separate
 * mode from the frozen-SAE interaction study: here the SAE itself changes, so its figures are not comparable with
 * the frozen-SAE controls. The honest comparison is against the same SAE fine-tuned alone for the same steps on the
 * same batches (otherwise a gain could be extra SAE training), and with a capacity-matched MLP on f instead of the NFM.
 *
 * Training space: x' = s·x with s = √d / mean‖x‖ over the training rows; the SAE weights are converted so that f is
 * unchanged (W_enc/s, W_dec·s, b_dec·s), and the head's prediction in x' space is (s / scales.r)·head(f·scales.f),
 * so at step 0 the joint reconstruction is exactly SAE(x) + head.predict(f). Loss = mean over rows of
 * ‖x' − x̂' − ŷ'‖² + λ·Σᵢ fᵢ‖W_dec'[i]‖ (the standard SAE penalty). The weights are folded back to raw x at the end.
 */
import * as tf from "@tensorflow/tfjs";
import { foldNormScale } from "../sae/normalize.js";
import { Sae } from "../sae/sae.js";
import { STANDARD_ARCHITECTURE } from "../sae/standard.js";
import type { RowErrors } from "../stats/bootstrap.js";
import { createRng } from "../stats/rng.js";
import { Adam } from "../train/adam.js";
import { globalNorm } from "../train/clip.js";
import { runTrainingLoop, type TrainStopReason } from "../train/loop.js";
import { matMul } from "../train/matmul.js";
import { RowSampler, type RowTrainingOptions } from "../train/row-sampler.js";
import { scheduleOf } from "../train/schedule.js";
import { ResidualModel } from "./model.js";

export interface JointProgress {
  step: number;
  totalSteps: number;
  /** Joint loss (reconstruction + sparsity) in the training space. */
  loss: number;
  /** Mean squared error per row of the joint reconstruction in the training space (x at mean norm √d). */
  mse: number;
  /** Mean active latents per row in the batch. */
  l0: number;
  lr: number;
}

/** Defaults: steps 1000, lr 1e-4 (this is fine-tuning), maxGradNorm 1 (over SAE and head together). */
export interface JointFineTuneOptions extends RowTrainingOptions {
  /** The sparsity coefficient λ of the standard penalty, on inputs at mean norm √d (use the SAE's own λ). */
  l1: number;
  onProgress?: (p: JointProgress) => void;
  signal?: AbortSignal;
}

export interface JointFineTuned {
  /** The fine-tuned SAE, taking raw x (same cfg and metadata as the input SAE). Caller disposes. */
  sae: Sae;
  /** The fine-tuned copy of the head (null when fine-tuning the SAE alone). Caller disposes. */
  head: ResidualModel | null;
  stopReason: TrainStopReason;
  steps: number;
  /** s of the training space x' = s·x. */
  inputScale: number;
  last: JointProgress | null;
}

interface SaeVariables {
  W_enc: tf.Variable<tf.Rank.R2>;
  W_dec: tf.Variable<tf.Rank.R2>;
  b_enc: tf.Variable<tf.Rank.R1>;
  b_dec: tf.Variable<tf.Rank.R1>;
}

const SAE_PARAMS = ["W_enc", "W_dec", "b_enc", "b_dec"] as const;
const EVAL_ROWS = 2048;

function checkJointInputs(sae: Sae, head: ResidualModel | null, x: Float32Array): number {
  const { architecture, normalize_activations } = sae.cfg;
  if (architecture !== STANDARD_ARCHITECTURE) {
    throw new Error(
      `joint fine-tuning supports only the "standard" SAE architecture, not "${architecture}"; fine-tune a standard SAE (train one with architecture "standard").`,
    );
  }
  if (normalize_activations === "constant_norm_rescale") {
    throw new Error(
      'joint fine-tuning needs an SAE that takes x as is; this one rescales each row (normalize_activations "constant_norm_rescale"). Use an SAE with the scale folded in.',
    );
  }
  if (head) {
    if (head.config.linear === "x") {
      throw new Error(
        "the head has a linear term on x, which joint fine-tuning does not support; use a head on f only (full, interaction-only, linear-only or mlp_matched).",
      );
    }
    if (head.config.dSae !== sae.dSae || head.config.dIn !== sae.dIn) {
      throw new Error(
        `the head is for d_sae ${head.config.dSae}, d_in ${head.config.dIn} but the SAE has ${sae.dSae}, ${sae.dIn}; pass the head trained on this SAE.`,
      );
    }
  }
  const rows = x.length / sae.dIn;
  if (!Number.isInteger(rows)) throw new Error(`x has ${x.length} values, not whole rows of d_in=${sae.dIn}.`);
  return rows;
}

function checkRowIndices(name: string, indices: Int32Array, rows: number): void {
  if (indices.length === 0) throw new Error(`${name} is empty; pass at least one row.`);
  for (const i of indices) {
    if (!(i >= 0 && i < rows)) throw new Error(`${name} holds row ${i}, outside x's ${rows} rows.`);
  }
}

function gatherRows(
  x: Float32Array,
  d: number,
  indices: ArrayLike<number>,
  out = new Float32Array(indices.length * d),
) {
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k]!;
    out.set(x.subarray(row * d, (row + 1) * d), k * d);
  }
  return out;
}

/** √d / mean‖x‖ over `rows`. */
function normScaleOf(x: Float32Array, d: number, rows: Int32Array): number {
  let total = 0;
  for (const row of rows) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += x[row * d + j]! ** 2;
    total += Math.sqrt(sq);
  }
  const mean = total / rows.length;
  if (!(mean > 0)) throw new Error("the training rows of x are all zero (or not finite); cannot fine-tune on them.");
  return Math.sqrt(d) / mean;
}

/** A fresh head with the same configuration, parameters and batch-norm statistics. */
function copyHead(head: ResidualModel): ResidualModel {
  return ResidualModel.fromState({ config: head.config, scales: head.scales, tensors: head.exportTensors() });
}

/** The joint loss of one batch x' [B, d] (training space), with its MSE and L0 as a [2] tensor. */
function jointLoss(
  p: SaeVariables,
  head: ResidualModel | null,
  x: tf.Tensor2D,
  options: { applyBDec: boolean; headScale: number; l1: number; dropoutSeed: number },
): { loss: tf.Scalar; stats: tf.Tensor1D } {
  const batch = x.shape[0];
  const input = options.applyBDec ? (tf.sub(x, p.b_dec) as tf.Tensor2D) : x;
  const f = tf.relu(tf.add(matMul(input, p.W_enc), p.b_enc)) as tf.Tensor2D;
  let reconstruction = tf.add(matMul(f, p.W_dec), p.b_dec);
  if (head) {
    const scaledF = tf.mul(f, head.scales.f) as tf.Tensor2D;
    const y = head.forward(scaledF, null, options.dropoutSeed, { inputGradients: true });
    reconstruction = tf.add(reconstruction, tf.mul(y, options.headScale));
  }
  const mse = tf.div(tf.sum(tf.square(tf.sub(x, reconstruction))), batch);
  const norms = tf.sqrt(tf.sum(tf.square(p.W_dec), 1));
  const sparsity = tf.mul(options.l1 / batch, tf.sum(tf.mul(f, norms)));
  const l0 = tf.div(tf.sum(tf.step(f)), batch);
  return { loss: tf.add(mse, sparsity) as tf.Scalar, stats: tf.stack([mse, l0]) as tf.Tensor1D };
}

/**
 * Fine-tunes `sae` jointly with a copy of `head` (or alone when head is null) on rows of x [rows·d_in] (raw inputs).
 * Neither input is changed. Stops with the last finite weights when the loss or gradient is not finite.
 */
export async function jointFineTune(
  sae: Sae,
  x: Float32Array,
  head: ResidualModel | null,
  options: JointFineTuneOptions,
): Promise<JointFineTuned> {
  const rows = checkJointInputs(sae, head, x);
  const d = sae.dIn;
  const l1 = options.l1;
  if (!(Number.isFinite(l1) && l1 >= 0)) throw new Error(`l1 must be a finite λ ≥ 0 (the SAE's own), got ${l1}.`);
  const trainRows = options.trainRows ?? Int32Array.from({ length: rows }, (_, i) => i);
  checkRowIndices("trainRows", trainRows, rows);
  const steps = options.steps ?? 1000;
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a whole number ≥ 0, got ${steps}.`);
  const batchSize = Math.min(options.batchSize ?? 1024, trainRows.length);
  const schedule = scheduleOf(options, steps, 1e-4);
  const seed = options.seed ?? 0;
  const rng = createRng(seed);
  const scale = normScaleOf(x, d, trainRows);
  const headScale = head ? scale / head.scales.r : 0;

  const scaled = foldNormScale(sae.weights, 1 / scale);
  const { d_sae: m } = sae.cfg;
  const p: SaeVariables = tf.tidy(() => ({
    W_enc: tf.variable(tf.tensor2d(scaled.W_enc, [d, m])),
    W_dec: tf.variable(tf.tensor2d(scaled.W_dec, [m, d])),
    b_enc: tf.variable(tf.tensor1d(scaled.b_enc)),
    b_dec: tf.variable(tf.tensor1d(scaled.b_dec)),
  }));
  const tuned = head ? copyHead(head) : null;
  const params: Record<string, tf.Variable> = {};
  for (const name of SAE_PARAMS) params[`sae.${name}`] = p[name];
  if (tuned) for (const [name, v] of Object.entries(tuned.params)) params[`head.${name}`] = v;
  const adam = new Adam(params);
  const lossOptions = { applyBDec: sae.cfg.apply_b_dec_to_input, headScale, l1, dropoutSeed: 0 };

  const sampler = RowSampler.shuffled(trainRows.length, rng);
  const indices = new Int32Array(batchSize);
  const batchX = new Float32Array(batchSize * d);
  try {
    const run = await runTrainingLoop<JointProgress>({
      steps,
      schedule,
      maxGradNorm: options.maxGradNorm ?? 1,
      signal: options.signal,
      onProgress: options.onProgress,
      step: (index, lr) => {
        sampler.next(indices, rng);
        for (let b = 0; b < batchSize; b++) indices[b] = trainRows[indices[b]!]!;
        gatherRows(x, d, indices, batchX);
        lossOptions.dropoutSeed = rng.seed();
        const input = tf.tidy(() => tf.mul(tf.tensor2d(batchX, [batchSize, d]), scale) as tf.Tensor2D);
        let stats: tf.Tensor1D | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const out = jointLoss(p, tuned, input, lossOptions);
          stats = tf.keep(out.stats);
          return out.loss;
        }, Object.values(params));
        input.dispose();
        const named: Record<string, tf.Tensor> = {};
        for (const [name, v] of Object.entries(params)) if (grads[v.name]) named[name] = grads[v.name]!;
        const norm = globalNorm(named);
        const loss = value.dataSync()[0]!;
        const gradNorm = norm.dataSync()[0]!;
        const [mse, l0] = (stats as tf.Tensor1D | null)?.dataSync() ?? [Number.NaN, Number.NaN];
        tf.dispose([value, norm, stats as tf.Tensor1D | null].filter((t) => t !== null));
        return {
          losses: [loss],
          gradNorm,
          discard: () => {
            tf.dispose(Object.values(grads));
            discardBatchStatistics(tuned);
          },
          apply: (clip) => {
            adam.apply(named, lr, clip);
            tf.dispose(Object.values(grads));
            tuned?.updateRunningStats();
            return { step: index + 1, totalSteps: steps, loss, mse: mse!, l0: l0!, lr };
          },
        };
      },
    });
    const weights = foldNormScale(
      {
        W_enc: p.W_enc.dataSync() as Float32Array,
        W_dec: p.W_dec.dataSync() as Float32Array,
        b_enc: p.b_enc.dataSync() as Float32Array,
        b_dec: p.b_dec.dataSync() as Float32Array,
      },
      scale,
    );
    const cfg = { ...sae.cfg, metadata: { ...sae.cfg.metadata } };
    return {
      sae: new Sae(cfg, weights),
      head: tuned,
      stopReason: run.stopReason,
      steps: run.steps,
      inputScale: scale,
      last: run.last,
    };
  } catch (error) {
    tuned?.dispose();
    throw error;
  } finally {
    adam.dispose();
    tf.dispose(Object.values(p));
  }
}

/** Frees a failed step's batch-norm statistics without moving the running statistics toward them. */
function discardBatchStatistics(head: ResidualModel | null): void {
  if (!head?.config.interaction?.batchNorm) return;
  const saved = head.exportTensors();
  head.updateRunningStats();
  head.importTensors(saved);
}

export interface JointRowErrors extends RowErrors {
  /** ‖x − SAE(x) − ŷ‖² per row (ŷ = the head's prediction in x's units; 0 without a head). */
  residual: Float64Array;
  /** ‖x − mean x‖² per row (mean over these rows): errorReductionOf gives explained variance. */
  total: Float64Array;
  /** ‖x − SAE(x)‖² per row: the SAE part alone. */
  saeResidual: Float64Array;
  /** Mean active latents per row. */
  l0: number;
}

/** Per-row errors of the joint reconstruction SAE(x) + head on rows of x [n·d_in] (inference mode; uses the SAE's
 *  weight tensors, which it creates on first use and owns). */
export function jointRowErrors(
  sae: Sae,
  head: ResidualModel | null,
  x: Float32Array,
  rows: Int32Array,
): JointRowErrors {
  const n = checkJointInputs(sae, head, x);
  checkRowIndices("rows", rows, n);
  const d = sae.dIn;
  const mean = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j]! += x[row * d + j]! / rows.length;
  const residual = new Float64Array(rows.length);
  const total = new Float64Array(rows.length);
  const saeResidual = new Float64Array(rows.length);
  let active = 0;
  for (let start = 0; start < rows.length; start += EVAL_ROWS) {
    const chunk = rows.subarray(start, Math.min(rows.length, start + EVAL_ROWS));
    const xb = gatherRows(x, d, chunk);
    const { f, xHat } = sae.reconstruct(xb);
    for (const v of f) if (v > 0) active++;
    const y = head ? head.predict(f, null, chunk.length) : null;
    for (let i = 0; i < chunk.length; i++) {
      let joint = 0;
      let alone = 0;
      let t = 0;
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        const e = xb[k]! - xHat[k]!;
        alone += e * e;
        joint += (e - (y ? y[k]! : 0)) ** 2;
        t += (xb[k]! - mean[j]!) ** 2;
      }
      residual[start + i] = joint;
      saeResidual[start + i] = alone;
      total[start + i] = t;
    }
  }
  return { residual, total, saeResidual, l0: active / rows.length };
}
