/**
 * The interaction study's unit of work: train one model (an NFM variant or a control, one seed) or one residual-SAE
 * run on the study's rows and evaluate it on the held-out rows. Jobs are plain data, so the same function runs them
 * in this thread or in a worker thread (study-pool.ts).
 */

import { modelRowErrors, predictorRowErrors } from "../../nfm/evaluate.js";
import type { ResidualModel, ResidualModelConfig } from "../../nfm/model.js";
import type { ResidualData } from "../../nfm/residual-data.js";
import { type TrainResidualModelOptions, trainResidualModel } from "../../nfm/train.js";
import { trainSae } from "../../sae/train.js";
import type { RowErrors } from "../../stats/bootstrap.js";

interface Checkpointing {
  checkpointDir?: string;
  checkpointEvery?: number;
  resume?: boolean;
}

export interface ModelJob extends Checkpointing {
  kind: "model";
  /** Report name, e.g. "full" or "permutation_null". */
  name: string;
  seed: number;
  config: ResidualModelConfig;
  /** Shared training options (steps, batch size, lr, dropout…); no callbacks. */
  training: Omit<TrainResidualModelOptions, "trainRows" | "seed" | "onProgress" | "signal">;
  permuteTargets: boolean;
  /** Return the trained model (else it is disposed). */
  keep: boolean;
}

export interface ResidualSaeJob extends Checkpointing {
  kind: "residual_sae";
  name: string;
  seed: number;
  l1: number;
  dSae: number;
  steps?: number;
  batchSize?: number;
  lr?: number;
}

export type StudyJob = ModelJob | ResidualSaeJob;

export interface StudyJobResult {
  rows: RowErrors;
  parameters: number;
  /** Residual SAE only: mean active latents per held-out row. */
  l0: number | null;
  /** The trained model when the job asked to keep it (caller disposes). */
  model: ResidualModel | null;
}

export interface StudyJobContext {
  data: ResidualData;
  trainRows: Int32Array;
  heldOutRows: Int32Array;
  /** Residual rows of trainRows, computed once per thread for the residual-SAE runs. */
  trainResiduals?: () => Float32Array;
}

export class StudyCancelled extends Error {
  constructor() {
    super("interaction study cancelled.");
  }
}

/** Runs one job; throws StudyCancelled when aborted. */
export async function runStudyJob(
  job: StudyJob,
  context: StudyJobContext,
  onStep: (step: number, steps: number) => void,
  signal?: AbortSignal,
): Promise<StudyJobResult> {
  return job.kind === "model"
    ? runModelJob(job, context, onStep, signal)
    : runResidualSaeJob(job, context, onStep, signal);
}

function checkpointingOf(job: Checkpointing): Checkpointing {
  return job.checkpointDir
    ? {
        checkpointDir: job.checkpointDir,
        ...(job.checkpointEvery ? { checkpointEvery: job.checkpointEvery } : {}),
        resume: job.resume === true,
      }
    : {};
}

async function runModelJob(
  job: ModelJob,
  context: StudyJobContext,
  onStep: (step: number, steps: number) => void,
  signal?: AbortSignal,
): Promise<StudyJobResult> {
  const trained = await trainResidualModel(context.data, job.config, {
    ...job.training,
    ...checkpointingOf(job),
    trainRows: context.trainRows,
    seed: job.seed,
    permuteTargets: job.permuteTargets,
    onProgress: (p) => onStep(p.step, p.totalSteps),
    ...(signal ? { signal } : {}),
  });
  if (trained.stopReason === "aborted") {
    trained.model.dispose();
    throw new StudyCancelled();
  }
  const rows = modelRowErrors(trained.model, context.data, context.heldOutRows);
  const parameters = trained.model.parameterCount;
  if (!job.keep) trained.model.dispose();
  return { rows, parameters, l0: null, model: job.keep ? trained.model : null };
}

async function runResidualSaeJob(
  job: ResidualSaeJob,
  context: StudyJobContext,
  onStep: (step: number, steps: number) => void,
  signal?: AbortSignal,
): Promise<StudyJobResult> {
  const { data, heldOutRows } = context;
  const d = data.dIn;
  const trainR = context.trainResiduals?.() ?? data.batch(context.trainRows).r;
  const { sae, stopReason } = await trainSae(
    { data: trainR, d },
    {
      dSae: job.dSae,
      l1: job.l1,
      seed: job.seed,
      normalize: "expected_average_only_in",
      ...checkpointingOf(job),
      onProgress: (p) => onStep(p.step, p.totalSteps),
      ...(job.steps !== undefined ? { steps: job.steps } : {}),
      ...(job.batchSize !== undefined ? { batchSize: job.batchSize } : {}),
      ...(job.lr !== undefined ? { lr: job.lr } : {}),
      ...(signal ? { signal } : {}),
    },
  );
  if (stopReason !== "completed") {
    sae.dispose();
    if (stopReason === "aborted") throw new StudyCancelled();
    throw new Error(`residual SAE (λ ${job.l1}) stopped: ${stopReason}.`);
  }
  let active = 0;
  const rows = predictorRowErrors(data, heldOutRows, (batch) => {
    const { f, xHat } = sae.reconstruct(batch.r);
    for (const v of f) if (v > 0) active++;
    return xHat;
  });
  sae.dispose();
  return { rows, parameters: 2 * d * job.dSae + d + job.dSae, l0: active / heldOutRows.length, model: null };
}

/** Memoises the residual rows of trainRows for a thread's residual-SAE jobs. */
export function trainResidualsOnce(data: ResidualData, trainRows: Int32Array): () => Float32Array {
  let cached: Float32Array | null = null;
  return () => {
    cached ??= data.batch(trainRows).r;
    return cached;
  };
}
