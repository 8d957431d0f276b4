/**
 * SAE training (SAELens recipe) on the shared training loop (train/loop.ts): input normalisation, Adam with
 * learning-rate warm-up and decay, λ warm-up, global-norm gradient clipping, dead-latent tracking, NaN/Inf guard,
 * atomic checkpoints and resume. What differs between architectures comes from the registry (architecture.ts).
 * The data come from an injected RowSource; the trainer never sees the language model.
 */

import { createRng } from "../stats/rng.js";
import type { AdamState } from "../train/adam.js";
import { hasCheckpoint } from "../train/checkpoint.js";
import { runTrainingLoop, type TrainStopReason } from "../train/loop.js";
import { checkPlateauRule, type Plateau, type PlateauRule, plateauOf } from "../train/patience.js";
import { type ScheduleOptions, scheduleOf, warmedUp } from "../train/schedule.js";
import type { WorkerThreads } from "../workers/start-workers.js";
import type { ResampleDeadLatents, SaeArchitecture, SaeTraining, SaeTrainingChoices } from "./architecture.js";
import { saeArchitectures } from "./architectures.js";
import { DeadLatents, NO_DEAD_MASK } from "./dead-latents.js";
import { estimateNormScale, foldNormScale } from "./normalize.js";
import { ParallelEngine } from "./parallel-engine.js";
import { rowSquaredErrors } from "./resample.js";
import { arrayRowSource, type ResumableRowSource } from "./row-source.js";
import { Sae } from "./sae.js";
import type { SaeProducts } from "./sparse-step.js";
import { readSaeCheckpoint, writeSaeCheckpoint } from "./train-checkpoint.js";
import { LocalEngine, type TrainEngine } from "./train-engine.js";
import type { RowSource, SaeConfig, SaeTrainingProgress, SaeWeights } from "./types.js";

/** The peak learning rate (ScheduleOptions.lr) defaults to 1e-3. */
export interface TrainSaeOptions extends SaeTrainingChoices, ScheduleOptions {
  /** Number of latents. */
  dSae: number;
  /** SAELens architecture name (default "standard"). */
  architecture?: string;
  /** Sparsity coefficient λ of the standard SAE (default 3; inputs are normalised to mean norm √d). On
   *  sotu-gpt2-6l layer 3, d_sae 2048, 1600 steps of 1024 rows: λ 3 → held-out EV 0.89 at L0 23; λ 5 → 0.83 at L0 16. */
  l1?: number;
  /** Optimiser steps (default 2000). */
  steps?: number;
  /** Rows per step (default 1024). */
  batchSize?: number;
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
  /** Start from these weights (SAELens layout, in the training space) instead of the SAELens initialisation, e.g.
   *  to continue training an existing SAE. Ignored when resuming from a checkpoint. */
  initialWeights?: SaeWeights;
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
  /** Early stopping on validation rows (raw units, [n · d]): their reconstruction ER 1 − Σ‖x − x̂‖²/Σ‖x‖² is measured
   *  every `every` steps; the run ends after `patience` measurements without a new best and returns the best
   *  measured weights (`steps` is then the budget). */
  earlyStopping?: PlateauRule & { validation: Float32Array; every: number };
  /** Worker threads for data-parallel steps (default 1: this thread). With tfjs-wasm, which runs one thread per
   *  worker, 2 workers on 2 cores make each step ≈ 1.8× faster at batch 4096; small batches gain less. */
  workers?: WorkerThreads;
  /** Architectures that resample (standard): every this many steps, re-initialise latents that have not fired for
   *  min(deadWindowSteps, resampleDeadEvery) steps from high-loss rows (resample.ts). Default: off. */
  resampleDeadEvery?: number;
  /** Rows whose losses the resampler draws from (default 16 batches). */
  resampleRows?: number;
  /** Products after the encoder: "auto" (default) takes the sparse ones whenever the code's measured density is
   *  low enough for them to be faster; "dense" and "sparse" force one path (both give the same gradients). */
  products?: SaeProducts;
}

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
  /** Latents re-initialised by dead-latent resampling over the whole run. */
  resampled: number;
  /** With early stopping: the kept step (best validation objective), its ER, and each measurement's ER and
   *  objective score (validationScores). */
  validation: { bestStep: number; bestEr: number; curve: { step: number; val_er: number; score: number }[] } | null;
}

function resolveSource(rows: RowSource | { data: Float32Array; d: number }, seed: number): RowSource {
  if ("nextBatch" in rows) return rows;
  return arrayRowSource(rows.data, rows.d, seed);
}

function isResumable(source: RowSource): source is ResumableRowSource {
  return typeof (source as ResumableRowSource).state === "function";
}

/** Copies of the initial weights, after checking their sizes against cfg. */
function checkedInitialWeights(weights: SaeWeights, cfg: SaeConfig): SaeWeights {
  const { d_in: d, d_sae: m } = cfg;
  const expected = { W_enc: d * m, W_dec: m * d, b_enc: m, b_dec: d } as const;
  for (const [name, size] of Object.entries(expected)) {
    const got = weights[name as keyof typeof expected]?.length;
    if (got !== size) {
      throw new Error(
        `initialWeights.${name} has ${got} values; a ${cfg.architecture} SAE with d_in ${d} and dSae ${m} needs ${size}.`,
      );
    }
  }
  return {
    W_enc: Float32Array.from(weights.W_enc),
    W_dec: Float32Array.from(weights.W_dec),
    b_enc: Float32Array.from(weights.b_enc),
    b_dec: Float32Array.from(weights.b_dec),
  };
}

/** The architecture's training parts, or an error naming the architectures that can be trained. */
function trainingOf(arch: SaeArchitecture): SaeTraining {
  if (!arch.training) {
    const trainable = saeArchitectures.trainable().map((name) => `"${name}"`);
    throw new Error(`SAE architecture "${arch.architecture}" is inference-only; train ${trainable.join(" or ")}.`);
  }
  return arch.training;
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
  const { architecture } = arch;
  const training = trainingOf(arch);
  if (!Number.isInteger(options.dSae) || options.dSae <= 0) {
    throw new Error(`dSae must be a positive integer, got ${options.dSae}.`);
  }
  const cfg: SaeConfig = {
    architecture,
    d_in: d,
    d_sae: options.dSae,
    apply_b_dec_to_input: true,
    normalize_activations: "none",
    ...training.config(options),
    metadata: { ...(options.metadata ?? {}) },
  };
  const schedule = scheduleOf(options, steps, 1e-3, options.earlyStopping !== undefined);
  const l1 = options.l1 ?? 3;
  const l1Warmup = options.l1WarmupSteps ?? Math.floor(steps * 0.05);
  const deadWindow = options.deadWindowSteps ?? Math.max(1, Math.min(1000, Math.floor(steps / 4)));
  const resampleEvery = options.resampleDeadEvery ?? 0;
  if (resampleEvery > 0 && !training.resampleDead) {
    const resampling = saeArchitectures.trainable((t) => t.resampleDead !== undefined);
    throw new Error(
      `resampleDeadEvery applies to the ${resampling.join(" or ")} SAE; "${architecture}" has its own dead-latent remedy.`,
    );
  }
  const dead = new DeadLatents(cfg.d_sae, deadWindow);
  const resume = options.resume === true && options.checkpointDir !== undefined && hasCheckpoint(options.checkpointDir);
  const paramNames = ["W_enc", "W_dec", "b_enc", "b_dec", ...arch.extraWeights];
  const checkpoint = resume ? readSaeCheckpoint(options.checkpointDir!, architecture, paramNames) : null;
  let normScale = 1;
  let weights: SaeWeights;
  let adamState: AdamState | undefined;
  let resampled = 0;
  if (checkpoint) {
    ({ weights, normScale, resampled } = checkpoint);
    adamState = checkpoint.adam;
    dead.importState(checkpoint.dead);
    if (checkpoint.source !== undefined) {
      if (!isResumable(source)) throw new Error("resume needs a resumable row source (state/restore).");
      source.restore(checkpoint.source);
    }
  } else {
    if ((options.normalize ?? "expected_average_only_in") === "expected_average_only_in") {
      normScale = estimateNormScale(source, options.normEstimationRows ?? batchSize * 10, batchSize);
    }
    weights = options.initialWeights
      ? checkedInitialWeights(options.initialWeights, cfg)
      : training.initWeights(cfg, createRng(seed), { decoderInitNorm: options.decoderInitNorm ?? 0.1 });
  }
  const workers = options.workers?.count ?? 1;
  const products = options.products ?? "auto";
  if (!["auto", "dense", "sparse"].includes(products)) {
    throw new Error(`products must be "auto", "dense" or "sparse", got ${JSON.stringify(products)}.`);
  }
  const openEngine = async (w: SaeWeights, adam: AdamState | undefined): Promise<TrainEngine> =>
    workers > 1
      ? await ParallelEngine.open(architecture, { cfg, weights: w, products }, options.workers!, adam)
      : new LocalEngine(arch, { cfg, weights: w, products }, adam);
  let engine = await openEngine(weights, adamState);
  /** The next `count` rows in the training space (times normScale). */
  const nextRows = (count: number) => {
    const batch = source.nextBatch(count);
    if (normScale !== 1) for (let i = 0; i < batch.length; i++) batch[i]! *= normScale;
    return batch;
  };

  /** Re-initialises the latents dead for the resampling window; the engine is rebuilt from the edited state. */
  const resampleDead = async (reinitialise: ResampleDeadLatents, atStep: number) => {
    const silent = dead.silentFor(Math.min(deadWindow, resampleEvery));
    if (silent.length === 0) return;
    const snapshot = await engine.snapshot();
    const params: Record<string, Float32Array> = {};
    for (const [name, p] of Object.entries(snapshot.params)) params[name] = Float32Array.from(p.data);
    const rows = nextRows(options.resampleRows ?? batchSize * 16);
    const current = new Sae(cfg, params as unknown as SaeWeights);
    const loss = rowSquaredErrors(current, rows);
    current.dispose();
    reinitialise({ d, m: cfg.d_sae, params, adam: snapshot.adam }, silent, rows, loss, createRng(seed + 7919 * atStep));
    await engine.dispose();
    engine = await openEngine(params as unknown as SaeWeights, snapshot.adam);
    dead.revive(silent);
    resampled += silent.length;
  };
  const resampleDue = (done: number) => resampleEvery > 0 && done % resampleEvery === 0 && done < steps;

  const checkpointDir = options.checkpointDir;
  const checkpoints = checkpointDir
    ? {
        every: options.checkpointEvery,
        save: async (step: number) =>
          writeSaeCheckpoint(checkpointDir, await engine.snapshot(), {
            architecture,
            step,
            normScale,
            resampled,
            dead: dead.exportState(),
            ...(isResumable(source) ? { source: source.state() } : {}),
          }),
      }
    : undefined;

  const stopping = options.earlyStopping ?? null;
  if (stopping && !(Number.isInteger(stopping.every) && stopping.every >= 1)) {
    throw new Error(`early stopping needs a whole number every ≥ 1, got ${stopping.every}.`);
  }
  if (stopping) checkPlateauRule(stopping);
  const curve: { step: number; val_er: number; score: number }[] = [];
  let best: { step: number; er: number; score: number; params: Record<string, Float32Array> } | null = null;
  let plateau: Plateau | null = null;
  // The validation rows in the training space, where the objective is defined (its λ does not scale with the input).
  const validationRows = stopping ? Float32Array.from(stopping.validation, (v) => v * normScale) : null;
  /**
   * Measures the validation objective of the current weights (its score; see validationScores) and keeps the best
   * weights by it; true when the run should stop. ER alone would favour the dense codes of the sparsity warm-up.
   */
  const validate = async (done: number, final = false): Promise<boolean> => {
    if (!stopping || !validationRows || (done % stopping.every !== 0 && !final)) return false;
    const { params } = await engine.snapshot();
    const copy: Record<string, Float32Array> = {};
    for (const [name, p] of Object.entries(params)) copy[name] = Float32Array.from(p.data);
    const candidate = new Sae(cfg, copy as unknown as SaeWeights);
    let scores: { er: number; score: number };
    try {
      scores = validationScores(candidate, validationRows, cfg.architecture === "standard" ? l1 : 0);
    } finally {
      candidate.dispose();
    }
    curve.push({ step: done, val_er: scores.er, score: scores.score });
    if (!best || scores.score > best.score) best = { step: done, ...scores, params: copy };
    if (!plateau) {
      plateau = plateauOf(scores.score, stopping);
      return false;
    }
    return plateau.observe(scores.score);
  };

  try {
    const run = await runTrainingLoop<SaeTrainingProgress>({
      steps,
      startStep: checkpoint?.step ?? 0,
      schedule,
      maxGradNorm: options.maxGradNorm ?? 1,
      signal: options.signal,
      onProgress: options.onProgress,
      checkpoints,
      ...(stopping ? { shouldStop: validate, lrScale: () => plateau?.lrScale ?? 1 } : {}),
      step: async (index, lr) => {
        const deadMask = training.usesDeadMask ? dead.mask() : NO_DEAD_MASK;
        const coefficients = { l1: warmedUp(l1, index, l1Warmup), ...deadMask };
        const { mse, aux, l0, gradNorm, firing } = await engine.compute(nextRows(batchSize), batchSize, coefficients);
        return {
          losses: [mse, aux, l0],
          gradNorm,
          discard: () => engine.discard(),
          apply: async (scale, stepsPerSecond) => {
            await engine.apply(lr, scale);
            dead.record(firing);
            const done = index + 1;
            if (training.resampleDead && resampleDue(done)) await resampleDead(training.resampleDead, done);
            return {
              step: done,
              totalSteps: steps,
              rows: done * batchSize,
              loss: mse + aux,
              mse,
              aux,
              l0,
              deadFraction: dead.deadFraction,
              lr,
              rowsPerSecond: stepsPerSecond() * batchSize,
            };
          },
        };
      },
    });
    if (stopping && run.stopReason === "completed" && curve.at(-1)?.step !== run.steps) await validate(run.steps, true);
    const { params } = await engine.snapshot();
    let trained: Record<string, Float32Array> = {};
    for (const [name, p] of Object.entries(params)) trained[name] = p.data;
    const kept = best as { step: number; er: number; score: number; params: Record<string, Float32Array> } | null;
    if (kept && run.stopReason !== "aborted") trained = kept.params;
    const sae = new Sae(cfg, foldNormScale(trained as unknown as SaeWeights, normScale));
    return {
      sae,
      stopReason: run.stopReason,
      steps: run.steps,
      normScale,
      deadFraction: dead.deadFraction,
      last: run.last,
      resampled,
      validation: kept ? { bestStep: kept.step, bestEr: kept.er, curve } : null,
    };
  } finally {
    await engine.dispose();
  }
}

/**
 * On rows x [n · d]: the ER 1 − Σ‖x − x̂‖² / Σ‖x‖², and the score of the training objective, 1 − Σ(‖x − x̂‖² +
 * λ·Σᵢ fᵢ‖W_dec[i]‖) / Σ‖x‖² (a standard SAE's loss at its full λ, in ER units; λ = 0 gives the ER). Early stopping
 * keeps the weights with the best score.
 */
export function validationScores(
  sae: Sae,
  x: Float32Array,
  l1: number,
  chunkRows = 4096,
): { er: number; score: number } {
  const d = sae.dIn;
  const m = sae.dSae;
  const norms = new Float64Array(m);
  if (l1 > 0) {
    const W = sae.weights.W_dec;
    for (let i = 0; i < m; i++) {
      let sq = 0;
      for (let j = i * d; j < (i + 1) * d; j++) sq += W[j]! * W[j]!;
      norms[i] = Math.sqrt(sq);
    }
  }
  let e = 0;
  let t = 0;
  let penalty = 0;
  for (let start = 0; start < x.length; start += chunkRows * d) {
    const chunk = x.subarray(start, Math.min(x.length, start + chunkRows * d));
    const { f, xHat } = sae.reconstruct(chunk);
    for (let i = 0; i < chunk.length; i++) {
      e += (chunk[i]! - xHat[i]!) ** 2;
      t += chunk[i]! ** 2;
    }
    if (l1 > 0) for (let i = 0; i < f.length; i++) if (f[i]! > 0) penalty += f[i]! * norms[i % m]!;
  }
  if (!(t > 0)) return { er: 0, score: 0 };
  return { er: 1 - e / t, score: 1 - (e + l1 * penalty) / t };
}

/** 1 − Σ‖x − x̂‖² / Σ‖x‖² of an SAE on rows x [n · d], reconstructed in chunks of `chunkRows`. */
export function reconstructionEr(sae: Sae, x: Float32Array, chunkRows = 4096): number {
  const d = sae.dIn;
  let e = 0;
  let t = 0;
  for (let start = 0; start < x.length; start += chunkRows * d) {
    const chunk = x.subarray(start, Math.min(x.length, start + chunkRows * d));
    const { xHat } = sae.reconstruct(chunk);
    for (let i = 0; i < chunk.length; i++) {
      e += (chunk[i]! - xHat[i]!) ** 2;
      t += chunk[i]! ** 2;
    }
  }
  return t > 0 ? 1 - e / t : 0;
}
