/**
 * The shared SAE training loop (SAELens recipe): input normalisation, Adam with learning-rate warm-up and decay,
 * λ warm-up, global-norm gradient clipping, dead-latent tracking, NaN/Inf guard, atomic checkpoints and resume.
 * The data come from an injected RowSource; the loop never sees the language model.
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../stats/rng.js";
import { Adam } from "../train/adam.js";
import { hasCheckpoint, readCheckpoint, writeCheckpoint } from "../train/checkpoint.js";
import { clipScale, globalNorm } from "../train/clip.js";
import { lrAt, warmedUp } from "../train/schedule.js";
import { saeArchitectures } from "./architectures.js";
import { estimateNormScale, foldNormScale } from "./normalize.js";
import { arrayRowSource, type ResumableRowSource } from "./row-source.js";
import { Sae } from "./sae.js";
import type { RowSource, SaeConfig, SaeTrainingProgress, SaeWeights } from "./types.js";

export interface TrainSaeOptions {
  /** Number of latents. */
  dSae: number;
  /** SAELens architecture name (default "standard"). */
  architecture?: string;
  /** Sparsity coefficient λ of the standard SAE (default 1, as SAELens; inputs are normalised to mean norm √d). */
  l1?: number;
  /** TopK: active latents per row (default 32). */
  k?: number;
  /** Optimiser steps (default 2000). */
  steps?: number;
  /** Rows per step (default 1024). */
  batchSize?: number;
  /** Peak learning rate (default 1e-3). */
  lr?: number;
  /** Learning-rate warm-up steps (default 0). */
  lrWarmupSteps?: number;
  /** Linear decay over the final steps (default 20% of steps) to lrEnd (default lr/10). */
  lrDecaySteps?: number;
  lrEnd?: number;
  /** λ warm-up steps (default 5% of steps). */
  l1WarmupSteps?: number;
  /** Norm of every decoder row at initialisation (default 0.1). */
  decoderInitNorm?: number;
  /** Global gradient-norm clip (default 1; 0 disables). */
  maxGradNorm?: number;
  /** `expected_average_only_in` (default) scales inputs to mean norm √d while training and folds the factor into
   *  the saved weights; `none` trains on x as is. */
  normalize?: "expected_average_only_in" | "none";
  /** Rows used to estimate the normalisation factor (default 10 batches). */
  normEstimationRows?: number;
  /** Steps per dead-latent window (default max(1, min(1000, steps / 4))). A latent that fired on no row of the
   *  window counts as dead. TopK uses it for aux-k. */
  deadWindowSteps?: number;
  /** Seed of the initialisation (default 0). */
  seed?: number;
  /** SAELens cfg metadata to carry (model_name, hook_name, …). */
  metadata?: Record<string, unknown>;
  /** Called after every step. */
  onProgress?: (p: SaeTrainingProgress) => void;
  /** Stops the run at the next step (the weights so far are returned). */
  signal?: AbortSignal;
  /** Write a checkpoint into this folder every `checkpointEvery` steps and at the end. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Continue from the checkpoint in checkpointDir (same options required; the source must be resumable). */
  resume?: boolean;
}

export type TrainStopReason = "completed" | "aborted" | "non_finite";

export interface TrainedSae {
  /** The SAE with normalisation folded in (normalize_activations "none"); takes raw x. */
  sae: Sae;
  stopReason: TrainStopReason;
  /** Steps completed. */
  steps: number;
  /** The input scale used in training (√d / mean ‖x‖), 1 when not normalising. */
  normScale: number;
  /** Fraction of latents dead in the last completed window (null if none completed). */
  deadFraction: number | null;
  /** Final progress record. */
  last: SaeTrainingProgress | null;
}

function resolveSource(rows: RowSource | { data: Float32Array; d: number }, seed: number): RowSource {
  if ("nextBatch" in rows) return rows;
  return arrayRowSource(rows.data, rows.d, seed);
}

function isResumable(source: RowSource): source is ResumableRowSource {
  return typeof (source as ResumableRowSource).state === "function";
}

/** Trains an SAE on rows from `rows` (a RowSource, or in-memory rows {data [n·d], d}). */
export async function trainSae(
  rows: RowSource | { data: Float32Array; d: number },
  options: TrainSaeOptions,
): Promise<TrainedSae> {
  const seed = options.seed ?? 0;
  const source = resolveSource(rows, seed);
  const d = source.d;
  const steps = options.steps ?? 2000;
  const batchSize = options.batchSize ?? 1024;
  const arch = saeArchitectures.get(options.architecture ?? "standard");
  if (!arch.createTrainer || !arch.initWeights) {
    throw new Error(`SAE architecture "${arch.architecture}" is inference-only; train "standard" or "topk".`);
  }
  if (!Number.isInteger(options.dSae) || options.dSae <= 0) {
    throw new Error(`dSae must be a positive integer, got ${options.dSae}.`);
  }
  const cfg: SaeConfig = {
    architecture: arch.architecture,
    d_in: d,
    d_sae: options.dSae,
    apply_b_dec_to_input: true,
    normalize_activations: "none",
    ...(arch.architecture === "topk" ? { k: options.k ?? 32 } : {}),
    metadata: { ...(options.metadata ?? {}) },
  };
  const lrSchedule = {
    lr: options.lr ?? 1e-3,
    warmupSteps: options.lrWarmupSteps ?? 0,
    decaySteps: options.lrDecaySteps ?? Math.floor(steps * 0.2),
    ...(options.lrEnd !== undefined ? { lrEnd: options.lrEnd } : {}),
    totalSteps: steps,
  };
  const l1 = options.l1 ?? 1;
  const l1Warmup = options.l1WarmupSteps ?? Math.floor(steps * 0.05);
  const maxGradNorm = options.maxGradNorm ?? 1;
  const deadWindow = options.deadWindowSteps ?? Math.max(1, Math.min(1000, Math.floor(steps / 4)));
  const resume = options.resume === true && options.checkpointDir !== undefined && hasCheckpoint(options.checkpointDir);

  let normScale = 1;
  let startStep = 0;
  let weights: SaeWeights;
  const checkpoint = resume ? readCheckpoint(options.checkpointDir!) : null;
  if (checkpoint) {
    const t = (name: string) => {
      const found = checkpoint.tensors[`param.${name}`];
      if (!found) throw new Error(`checkpoint lacks parameter ${name}; it was written by another architecture.`);
      return found.data;
    };
    weights = { W_enc: t("W_enc"), W_dec: t("W_dec"), b_enc: t("b_enc"), b_dec: t("b_dec") };
    normScale = checkpoint.state["normScale"] as number;
    startStep = checkpoint.state["step"] as number;
    if (checkpoint.state["source"] !== undefined) {
      if (!isResumable(source)) throw new Error("resume needs a resumable row source (state/restore).");
      source.restore(checkpoint.state["source"]);
    }
  } else {
    if ((options.normalize ?? "expected_average_only_in") === "expected_average_only_in") {
      normScale = estimateNormScale(source, options.normEstimationRows ?? batchSize * 10, batchSize);
    }
    weights = arch.initWeights(cfg, createRng(seed), { decoderInitNorm: options.decoderInitNorm ?? 0.1 });
  }
  const trainer = arch.createTrainer({ cfg, weights });
  const adam = new Adam(trainer.params);
  if (checkpoint) {
    const state = { step: checkpoint.state["adamStep"] as number, m: {}, v: {} } as {
      step: number;
      m: Record<string, Float32Array>;
      v: Record<string, Float32Array>;
    };
    for (const name of Object.keys(trainer.params)) {
      state.m[name] = checkpoint.tensors[`adam_m.${name}`]!.data;
      state.v[name] = checkpoint.tensors[`adam_v.${name}`]!.data;
    }
    adam.importState(state);
  }

  const m = cfg.d_sae;
  const windowFiring = new Float64Array(m);
  const sinceFired = new Float64Array(m);
  let windowSteps = 0;
  if (checkpoint) {
    sinceFired.set(checkpoint.tensors["since_fired"]?.data ?? []);
    windowFiring.set(checkpoint.tensors["window_firing"]?.data ?? []);
    windowSteps = (checkpoint.state["windowSteps"] as number | undefined) ?? 0;
  }
  let deadFraction: number | null = checkpoint ? ((checkpoint.state["deadFraction"] as number | null) ?? null) : null;
  let stopReason: TrainStopReason = "completed";
  let last: SaeTrainingProgress | null = null;
  let step = startStep;
  const started = performance.now();
  let deadMask: tf.Tensor1D | undefined;
  let deadCount = 0;

  const saveCheckpoint = (nextStep: number) => {
    if (!options.checkpointDir) return;
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [name, v] of Object.entries(trainer.params)) {
      tensors[`param.${name}`] = { shape: v.shape, data: v.dataSync() as Float32Array };
    }
    const adamState = adam.exportState();
    for (const name of Object.keys(trainer.params)) {
      const shape = trainer.params[name]!.shape;
      tensors[`adam_m.${name}`] = { shape, data: adamState.m[name]! };
      tensors[`adam_v.${name}`] = { shape, data: adamState.v[name]! };
    }
    tensors["since_fired"] = { shape: [m], data: Float32Array.from(sinceFired) };
    tensors["window_firing"] = { shape: [m], data: Float32Array.from(windowFiring) };
    writeCheckpoint(options.checkpointDir, {
      tensors,
      state: {
        windowSteps,
        step: nextStep,
        adamStep: adamState.step,
        normScale,
        deadFraction,
        architecture: cfg.architecture,
        ...(isResumable(source) ? { source: source.state() } : {}),
      },
    });
  };

  try {
    for (; step < steps; step++) {
      if (options.signal?.aborted) {
        stopReason = "aborted";
        break;
      }
      if (arch.architecture === "topk") {
        deadMask?.dispose();
        const dead = Float32Array.from(sinceFired, (s) => (s >= deadWindow ? 1 : 0));
        deadCount = dead.reduce((n, v) => n + v, 0);
        deadMask = tf.tensor1d(dead);
      }
      const coefficients = { l1: warmedUp(l1, step, l1Warmup), ...(deadMask ? { deadMask, deadCount } : {}) };
      const batch = tf.tidy(() =>
        tf.mul(tf.tensor2d(source.nextBatch(batchSize), [batchSize, d]), normScale),
      ) as tf.Tensor2D;
      const result = trainer.step(batch, coefficients);
      const norm = globalNorm(result.grads);
      const packed = tf.tidy(() => tf.concat([result.stats, norm.reshape([1]), result.firing]));
      const values = packed.dataSync();
      tf.dispose([batch, norm, packed, result.stats, result.firing]);
      const [mse, aux, l0, gradNorm] = [values[0]!, values[1]!, values[2]!, values[3]!];
      if (![mse, aux, l0, gradNorm].every(Number.isFinite)) {
        tf.dispose(Object.values(result.grads));
        stopReason = "non_finite";
        break;
      }
      const lr = lrAt(step, lrSchedule);
      adam.apply(result.grads, lr, clipScale(gradNorm, maxGradNorm));
      tf.dispose(Object.values(result.grads));
      trainer.afterUpdate?.();

      for (let i = 0; i < m; i++) {
        const fired = values[4 + i]!;
        windowFiring[i]! += fired;
        sinceFired[i] = fired > 0 ? 0 : sinceFired[i]! + 1;
      }
      windowSteps++;
      if (windowSteps === deadWindow) {
        let dead = 0;
        for (let i = 0; i < m; i++) if (windowFiring[i] === 0) dead++;
        deadFraction = dead / m;
        windowFiring.fill(0);
        windowSteps = 0;
      }
      const elapsed = (performance.now() - started) / 1000;
      last = {
        step: step + 1,
        totalSteps: steps,
        rows: (step + 1) * batchSize,
        loss: mse + aux,
        mse,
        aux,
        l0,
        deadFraction,
        lr,
        rowsPerSecond: ((step + 1 - startStep) * batchSize) / Math.max(elapsed, 1e-9),
      };
      options.onProgress?.(last);
      if (options.checkpointEvery && (step + 1) % options.checkpointEvery === 0 && step + 1 < steps) {
        saveCheckpoint(step + 1);
      }
      if ((step & 15) === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    if (stopReason === "completed") saveCheckpoint(step);
    const trained: SaeWeights = {
      W_enc: trainer.params["W_enc"]!.dataSync() as Float32Array,
      W_dec: trainer.params["W_dec"]!.dataSync() as Float32Array,
      b_enc: trainer.params["b_enc"]!.dataSync() as Float32Array,
      b_dec: trainer.params["b_dec"]!.dataSync() as Float32Array,
    };
    const sae = new Sae(cfg, foldNormScale(trained, normScale));
    return { sae, stopReason, steps: step, normScale, deadFraction, last };
  } finally {
    deadMask?.dispose();
    adam.dispose();
    trainer.dispose();
  }
}
