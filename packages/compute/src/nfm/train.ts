/**
 * Training of the NFM and the residual controls on the shared training loop (train/loop.ts: learning-rate warm-up
 * and decay, global-norm clipping, a NaN/Inf guard that stops with the last finite weights, progress, cancellation,
 * checkpoints): this file supplies the step — Adam on tfjs autodiff gradients through matMul helpers that avoid the
 * slow transposed path on wasm — and the residual-model checkpoint.
 */

import * as tf from "@tensorflow/tfjs";
import { errorReductionOf } from "../stats/bootstrap.js";
import { createRng, permutation } from "../stats/rng.js";
import { Adam } from "../train/adam.js";
import { identityDifferences } from "../train/checkpoint.js";
import { globalNorm } from "../train/clip.js";
import { runTrainingLoop, type TrainStopReason } from "../train/loop.js";
import { checkPlateauRule, type PlateauRule, plateauOf } from "../train/patience.js";
import { RowSampler, type RowTrainingOptions } from "../train/row-sampler.js";
import { scheduleOf } from "../train/schedule.js";
import type { RowPairing } from "./affine-fit.js";
import {
  hasResidualCheckpoint,
  type ResidualTrainingIdentity,
  readResidualCheckpoint,
  writeResidualCheckpoint,
} from "./checkpoint.js";
import { modelRowErrors } from "./evaluate.js";
import { type InputScales, type InteractionConfig, ResidualModel, type ResidualModelConfig } from "./model.js";
import type { ResidualData } from "./residual-data.js";
import { modelConfig, type ResidualModelKind } from "./variants.js";

export interface NfmTrainingProgress {
  step: number;
  totalSteps: number;
  /** Mean squared error per element in the scaled space (r at mean norm √d). */
  loss: number;
  lr: number;
  rowsPerSecond: number;
}

/** Early stopping on validation rows: their ER is measured every `every` steps (and before the first step); a
 *  plateau of `patience` measurements without an improvement of more than `minDelta` lowers the learning rate while
 *  `lrDrops` remain and otherwise ends the run (train/patience.ts), and the best measured weights are restored. */
export interface EarlyStopping extends PlateauRule {
  validation: RowPairing;
  every: number;
}

/** Validation ER over the run (when early stopping), and where the restored weights come from. */
export interface ValidationTrace {
  /** Step of the restored (best) weights; 0 = the initial weights. */
  bestStep: number;
  bestEr: number;
  curve: { step: number; val_er: number }[];
}

/** Defaults: steps 2000, lr 1e-3, maxGradNorm 10. */
export interface TrainResidualModelOptions extends RowTrainingOptions {
  /** Permutation null: pair each row's f and x with another training row's r (a fixed seeded shuffle,
   *  nullPermutation(trainRows.length, seed)). */
  permuteTargets?: boolean;
  /** The linear part's start: an affine fit of r (raw units) on the model's linear input; the output layers of the
   *  non-linear parts then start at zero, so the model starts exactly at the fit. */
  initialAffine?: { weights: Float64Array; intercept: Float64Array };
  /** Early stopping on validation rows (`steps` is then the budget); not combined with checkpoints. */
  earlyStopping?: EarlyStopping;
  onProgress?: (p: NfmTrainingProgress) => void;
  signal?: AbortSignal;
  /** Write a checkpoint here every `checkpointEvery` steps and when training completes. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Continue from the checkpoint in checkpointDir (the same model and options are required; a finished
   *  checkpoint returns its model without training). */
  resume?: boolean;
}

export interface TrainedResidualModel {
  model: ResidualModel;
  stopReason: TrainStopReason;
  steps: number;
  last: NfmTrainingProgress | null;
  /** With early stopping: the validation curve and the restored step. */
  validation: ValidationTrace | null;
}

/** The permutation null's shuffle of `n` training rows for a seed (validation rows use `salt` 1). */
export function nullPermutation(n: number, seed: number, salt = 0): Int32Array {
  return permutation(n, createRng(seed + 7919 + salt * 104_729));
}

const SCALE_SAMPLE_ROWS = 4096;

/** Input scales from training rows: f's mean squared active value → 1, x and r mean norm → √d. */
export function estimateScales(data: ResidualData, rows: Int32Array): InputScales & { meanActive: number } {
  const take = rows.subarray(0, Math.min(rows.length, SCALE_SAMPLE_ROWS));
  const { f, x, r } = data.sparseBatch(take);
  let fSq = 0;
  let active = 0;
  for (const v of f.vals) {
    if (v !== 0) {
      fSq += v * v;
      active++;
    }
  }
  const meanNorm = (a: Float32Array) => {
    let total = 0;
    for (let i = 0; i < take.length; i++) {
      let sq = 0;
      for (let j = 0; j < data.dIn; j++) sq += a[i * data.dIn + j]! ** 2;
      total += Math.sqrt(sq);
    }
    return total / take.length;
  };
  const root = Math.sqrt(data.dIn);
  const rNorm = meanNorm(r);
  if (!(rNorm > 0)) throw new Error("the residual rows are all zero; there is nothing to model.");
  return {
    f: active > 0 ? 1 / Math.sqrt(fSq / active) : 1,
    x: root / Math.max(meanNorm(x), 1e-12),
    r: root / rNorm,
    meanActive: active / take.length,
  };
}

/** Initial spread of V: smaller when more features are active, so BI(f) starts at a similar size. */
function embeddingInitStd(scales: InputScales & { meanActive?: number }): number {
  const active = scales.meanActive ?? 1;
  const pairs = Math.max(1, (active * (active - 1)) / 2);
  return Math.min(0.5, pairs ** -0.25);
}

export async function trainResidualModel(
  data: ResidualData,
  config: ResidualModelConfig,
  options: TrainResidualModelOptions = {},
): Promise<TrainedResidualModel> {
  if (config.dSae !== data.dSae || config.dIn !== data.dIn) {
    throw new Error(
      `model is for d_sae ${config.dSae}, d_in ${config.dIn} but the data have ${data.dSae}, ${data.dIn}.`,
    );
  }
  const seed = options.seed ?? 0;
  let rng = createRng(seed);
  const trainRows = options.trainRows ?? Int32Array.from({ length: data.rows }, (_, i) => i);
  const steps = options.steps ?? 2000;
  const batchSize = Math.min(options.batchSize ?? 1024, trainRows.length);
  const schedule = scheduleOf(options, steps, 1e-3, options.earlyStopping !== undefined);
  const identity: ResidualTrainingIdentity = {
    config,
    seed,
    steps,
    batchSize,
    lr: schedule.lr,
    permuteTargets: options.permuteTargets === true,
    trainRows: trainRows.length,
  };
  const checkpoint =
    options.resume && options.checkpointDir && hasResidualCheckpoint(options.checkpointDir)
      ? readResidualCheckpoint(options.checkpointDir)
      : null;
  if (checkpoint) {
    const differ = identityDifferences(checkpoint.identity, identity);
    if (differ.length > 0) {
      throw new Error(
        `the checkpoint in ${options.checkpointDir} was trained with other ${differ.join(", ")}; resume with the same settings or start a new run without --resume.`,
      );
    }
  }
  const scales = checkpoint?.scales ?? estimateScales(data, trainRows);
  if (options.earlyStopping && options.checkpointDir) {
    throw new Error(
      "early stopping keeps its best weights in memory; train without checkpointDir and save the finished model.",
    );
  }
  const model = new ResidualModel(config, scales, rng, embeddingInitStd(scales));
  if (options.initialAffine) model.startAtAffine(options.initialAffine.weights, options.initialAffine.intercept);
  const targetOf = options.permuteTargets ? nullPermutation(trainRows.length, seed) : null;
  const adam = new Adam(model.params);
  const needsX = config.linear === "x";
  const sampler = checkpoint
    ? new RowSampler(trainRows.length, checkpoint.position.order, checkpoint.position.cursor)
    : RowSampler.shuffled(trainRows.length, rng);
  if (checkpoint) {
    try {
      model.importTensors(checkpoint.tensors);
      adam.importState(checkpoint.adam);
    } catch (error) {
      model.dispose();
      adam.dispose();
      throw error;
    }
    rng = createRng(seed, checkpoint.position.rngState);
  }
  const positions = new Int32Array(batchSize);
  const indices = new Int32Array(batchSize);
  const targets = new Int32Array(batchSize);
  const checkpointDir = options.checkpointDir;
  const checkpoints = checkpointDir
    ? {
        every: options.checkpointEvery,
        save: (completedSteps: number, final: boolean) =>
          writeResidualCheckpoint(checkpointDir, model, adam.exportState(), identity, {
            step: completedSteps,
            rngState: rng.state(),
            cursor: sampler.cursor,
            order: sampler.order,
            stopReason: final ? "completed" : "running",
          }),
      }
    : undefined;
  const stopping = options.earlyStopping ? earlyStopper(model, data, options.earlyStopping) : null;
  try {
    const run = await runTrainingLoop<NfmTrainingProgress>({
      steps,
      startStep: checkpoint?.position.step ?? 0,
      schedule,
      maxGradNorm: options.maxGradNorm ?? 10,
      signal: options.signal,
      onProgress: options.onProgress,
      checkpoints,
      ...(stopping ? { shouldStop: stopping.shouldStop, lrScale: () => stopping.lrScale } : {}),
      step: (index, lr) => {
        sampler.next(positions, rng);
        for (let b = 0; b < batchSize; b++) {
          const position = positions[b]!;
          indices[b] = trainRows[position]!;
          targets[b] = trainRows[targetOf ? targetOf[position]! : position]!;
        }
        const batch = data.sparseBatch(indices, targets, needsX);
        const dropoutSeed = rng.seed();
        const { value, grads } = tf.tidy(() => {
          const inputs = model.scaledInputs(batch.f, needsX ? batch.x : null, batchSize);
          const target = tf.mul(tf.tensor2d(batch.r, [batchSize, data.dIn]), scales.r);
          return tf.variableGrads(
            () => tf.mean(tf.square(tf.sub(model.forward(inputs.f, inputs.x, dropoutSeed), target))) as tf.Scalar,
            Object.values(model.params),
          );
        });
        const named: Record<string, tf.Tensor> = {};
        for (const [name, p] of Object.entries(model.params)) if (grads[p.name]) named[name] = grads[p.name]!;
        const norm = globalNorm(named);
        const [loss, gradNorm] = [value.dataSync()[0]!, norm.dataSync()[0]!];
        tf.dispose([value, norm]);
        /** Frees the gradients and moves the batch-norm running statistics (as after every step, finite or not). */
        const finish = () => {
          tf.dispose(Object.values(grads));
          model.updateRunningStats();
        };
        return {
          losses: [loss],
          gradNorm,
          discard: finish,
          apply: (scale, stepsPerSecond) => {
            adam.apply(named, lr, scale);
            finish();
            return { step: index + 1, totalSteps: steps, loss, lr, rowsPerSecond: stepsPerSecond() * batchSize };
          },
        };
      },
    });
    return {
      model,
      stopReason: run.stopReason,
      steps: run.steps,
      last: run.last,
      validation: stopping ? stopping.restoreBest(run.stopReason) : null,
    };
  } finally {
    adam.dispose();
  }
}

/** Measures validation ER every `every` steps, keeps the best weights, and restores them at the end. */
function earlyStopper(model: ResidualModel, data: ResidualData, rule: EarlyStopping) {
  if (!(Number.isInteger(rule.every) && rule.every >= 1)) {
    throw new Error(`early stopping needs a whole number every ≥ 1, got ${rule.every}.`);
  }
  checkPlateauRule(rule);
  if (rule.validation.rows.length === 0) throw new Error("early stopping needs validation rows.");
  const { rows, targets } = rule.validation;
  const measure = () => errorReductionOf(modelRowErrors(model, data, rows, targets ?? rows));
  const snapshot = () =>
    Object.fromEntries(
      Object.entries(model.exportTensors()).map(([name, t]) => [name, { shape: t.shape, data: t.data.slice() }]),
    );
  const first = measure();
  const curve = [{ step: 0, val_er: first }];
  let best = { step: 0, er: first, tensors: snapshot() };
  const plateau = plateauOf(first, rule);
  return {
    get lrScale() {
      return plateau.lrScale;
    },
    shouldStop(done: number): boolean {
      if (done % rule.every !== 0) return false;
      const er = measure();
      curve.push({ step: done, val_er: er });
      if (er > best.er) best = { step: done, er, tensors: snapshot() };
      return plateau.observe(er);
    },
    restoreBest(stopReason: TrainStopReason): ValidationTrace {
      if (stopReason !== "aborted") model.importTensors(best.tensors);
      return { bestStep: best.step, bestEr: best.er, curve };
    },
  };
}

export interface TrainNfmOptions extends TrainResidualModelOptions {
  /** Embedding size K (default 64). */
  k?: number;
  /** NFM variant or control (default "full"). */
  variant?: ResidualModelKind;
  /** Hidden widths of the head on BI(f) (default [K]). */
  hidden?: number[];
  dropout?: number;
  batchNorm?: boolean;
}

/** The interaction configuration a TrainNfmOptions describes. */
export function interactionConfigOf(options: TrainNfmOptions): InteractionConfig {
  const k = options.k ?? 64;
  return {
    k,
    hidden: options.hidden ?? [k],
    dropout: options.dropout ?? 0,
    batchNorm: options.batchNorm ?? false,
  };
}

/** Trains an NFM variant (or a control) on residual data. */
export function trainNfm(data: ResidualData, options: TrainNfmOptions = {}): Promise<TrainedResidualModel> {
  const config = modelConfig(options.variant ?? "full", data.dSae, data.dIn, interactionConfigOf(options));
  return trainResidualModel(data, config, options);
}
