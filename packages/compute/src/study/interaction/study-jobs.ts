/**
 * The interaction study's unit of work: fit one model with a non-linear part (an NFM variant or a control, one seed)
 * or one residual-SAE run, with early stopping on the validation rows at every learning rate of the study's grid
 * (the best on validation is kept), and evaluate it on the held-out rows. Jobs are plain data, so the same function
 * runs them in this thread or in a worker thread (study-pool.ts). A finished job's result is saved in its folder, so
 * a resumed study loads it instead of fitting again.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, writeSafetensors } from "../../io/safetensors.js";
import type { RowPairing } from "../../nfm/affine-fit.js";
import { modelRowErrors, predictorRowErrors } from "../../nfm/evaluate.js";
import { type InputScales, ResidualModel, type ResidualModelConfig } from "../../nfm/model.js";
import type { ResidualData } from "../../nfm/residual-data.js";
import {
  nullPermutation,
  type TrainedResidualModel,
  type TrainResidualModelOptions,
  trainResidualModel,
} from "../../nfm/train.js";
import { arrayRowSource } from "../../sae/row-source.js";
import { trainSae } from "../../sae/train.js";
import { errorReductionOf, type RowErrors } from "../../stats/bootstrap.js";
import type { ErrorTarget } from "../evidence-tables.js";
import type { ModelFit } from "../report-types.js";

/** How every model with a trained part is fitted: the same grid, evaluation cadence, patience and budget for all. */
export interface FittingRule {
  /** Learning rates tried; the one with the best validation ER is kept. */
  lrGrid: number[];
  /** Steps between validation measurements. */
  evalEvery: number;
  /** Measurements without progress before the run stops. */
  patience: number;
  /** Smallest rise of validation ER that counts as progress (absolute ER; 1e-4 = 0.01 percentage points). */
  minDelta: number;
  /** Plateaus that lower the learning rate (by lrFactor) before one ends the run (reduce-on-plateau). */
  lrDrops: number;
  lrFactor: number;
}

export const DEFAULT_FITTING: FittingRule = {
  lrGrid: [1e-3, 3e-3],
  evalEvery: 25,
  patience: 8,
  minDelta: 1e-4,
  lrDrops: 2,
  lrFactor: 0.3,
};

/** The plateau rule of a fitting rule, as the trainers take it. */
function plateauRuleOf(fitting: FittingRule) {
  const { evalEvery: every, patience, minDelta, lrDrops, lrFactor } = fitting;
  return { every, patience, minDelta, lrDrops, lrFactor };
}

export interface ModelJob {
  kind: "model";
  /** Report name, e.g. "full" or "permutation_null". */
  name: string;
  seed: number;
  config: ResidualModelConfig;
  /** Shared training options (step budget, batch size, dropout…); no callbacks, no lr (the grid's). */
  training: Omit<TrainResidualModelOptions, "trainRows" | "seed" | "onProgress" | "signal" | "lr">;
  permuteTargets: boolean;
  target: ErrorTarget;
  /** The closed-form start of the linear part (raw units), or null. */
  initialAffine: { weights: Float64Array; intercept: Float64Array } | null;
  fitting: FittingRule;
  /** Return the trained model (else it is disposed). */
  keep: boolean;
  /** Where the finished job's result is saved (and, resuming, loaded from). */
  resultDir?: string;
  resume?: boolean;
}

export interface ResidualSaeJob {
  kind: "residual_sae";
  name: string;
  seed: number;
  l1: number;
  dSae: number;
  steps?: number;
  batchSize?: number;
  fitting: FittingRule;
  resultDir?: string;
  resume?: boolean;
}

export type StudyJob = ModelJob | ResidualSaeJob;

export interface StudyJobResult {
  rows: RowErrors;
  parameters: number;
  /** Residual SAE only: mean active latents per held-out row. */
  l0: number | null;
  fit: ModelFit;
  /** The trained model when the job asked to keep it (caller disposes). */
  model: ResidualModel | null;
}

export interface StudyJobContext {
  data: ResidualData;
  /** The same rows with r replaced by the nonlinear error r_nl (for models of target r_nl). */
  dataNl: ResidualData;
  trainRows: Int32Array;
  validationRows: Int32Array;
  heldOutRows: Int32Array;
}

/**
 * When jobs may start: job i waits for job `after[i]` to finish (null: it may start at once) and then runs as
 * `ready(i, that job's result)` (e.g. at the learning rate that job chose).
 */
export interface JobSchedule {
  after: readonly (number | null)[];
  ready(i: number, dependency: StudyJobResult | null): StudyJob;
}

/** Job i as the schedule starts it, once its dependency (if any) has a result. */
export function scheduledJob(
  jobs: readonly StudyJob[],
  schedule: JobSchedule | undefined,
  results: readonly (StudyJobResult | undefined)[],
  i: number,
): StudyJob {
  if (!schedule) return jobs[i]!;
  const after = schedule.after[i] ?? null;
  return schedule.ready(i, after === null ? null : results[after]!);
}

/** True when job i's dependency (if any) has finished. */
export function jobReady(
  schedule: JobSchedule | undefined,
  results: readonly (StudyJobResult | undefined)[],
  i: number,
): boolean {
  const after = schedule?.after[i] ?? null;
  return after === null || results[after] !== undefined;
}

export class StudyCancelled extends Error {
  constructor() {
    super("interaction study cancelled.");
  }
}

/** Runs one job (or loads its saved result when resuming); throws StudyCancelled when aborted. */
export async function runStudyJob(
  job: StudyJob,
  context: StudyJobContext,
  onStep: (step: number, steps: number) => void,
  signal?: AbortSignal,
): Promise<StudyJobResult> {
  const saved = job.resume && job.resultDir ? loadJobResult(job) : null;
  if (saved) return saved;
  const result =
    job.kind === "model"
      ? await runModelJob(job, context, onStep, signal)
      : await runResidualSaeJob(job, context, onStep, signal);
  if (job.resultDir) saveJobResult(job, result);
  return result;
}

/** The validation rows paired as the job's training rows are: shuffled targets for the null. */
function validationPairing(job: ModelJob, rows: Int32Array): RowPairing {
  if (!job.permuteTargets) return { rows };
  const order = nullPermutation(rows.length, job.seed, 1);
  return { rows, targets: Int32Array.from(order, (i) => rows[i]!) };
}

function fitStatus(stopReason: TrainedResidualModel["stopReason"]): ModelFit["fit"] {
  return stopReason === "early_stopped" ? "early_stopped" : "budget_exhausted";
}

async function runModelJob(
  job: ModelJob,
  context: StudyJobContext,
  onStep: (step: number, steps: number) => void,
  signal?: AbortSignal,
): Promise<StudyJobResult> {
  const data = job.target === "r_nl" ? context.dataNl : context.data;
  const trainRows = context.trainRows;
  const batchSize = Math.min(job.training.batchSize ?? 1024, trainRows.length);
  const budget = job.training.steps ?? 2000;
  const epochOf = (step: number) => (step * batchSize) / trainRows.length;
  const validation = validationPairing(job, context.validationRows);
  let best: { trained: TrainedResidualModel; lr: number } | null = null;
  for (const [i, lr] of job.fitting.lrGrid.entries()) {
    const trained = await trainResidualModel(data, job.config, {
      ...job.training,
      lr,
      trainRows,
      seed: job.seed,
      permuteTargets: job.permuteTargets,
      ...(job.initialAffine ? { initialAffine: job.initialAffine } : {}),
      earlyStopping: { validation, ...plateauRuleOf(job.fitting) },
      onProgress: (p) => onStep(i * budget + p.step, job.fitting.lrGrid.length * budget),
      ...(signal ? { signal } : {}),
    });
    if (trained.stopReason === "aborted") {
      trained.model.dispose();
      best?.trained.model.dispose();
      throw new StudyCancelled();
    }
    if (!best || trained.validation!.bestEr > best.trained.validation!.bestEr) {
      best?.trained.model.dispose();
      best = { trained, lr };
    } else trained.model.dispose();
  }
  if (!best) throw new Error("the study's learning-rate grid is empty; give at least one learning rate.");
  const { model, validation: trace, stopReason, steps } = best.trained;
  const trainTargets = job.permuteTargets
    ? Int32Array.from(nullPermutation(trainRows.length, job.seed), (i) => trainRows[i]!)
    : trainRows;
  const fit: ModelFit = {
    fit: fitStatus(stopReason),
    epochs: epochOf(steps),
    lr: best.lr,
    ridge: null,
    train_er: errorReductionOf(modelRowErrors(model, data, trainRows, trainTargets)),
    val_er: trace!.bestEr,
    curve: trace!.curve.map((point) => ({ at: epochOf(point.step), val_er: point.val_er })),
  };
  const rows = modelRowErrors(model, data, context.heldOutRows);
  const parameters = model.parameterCount;
  if (!job.keep) model.dispose();
  return { rows, parameters, l0: null, fit, model: job.keep ? model : null };
}

async function runResidualSaeJob(
  job: ResidualSaeJob,
  context: StudyJobContext,
  onStep: (step: number, steps: number) => void,
  signal?: AbortSignal,
): Promise<StudyJobResult> {
  const { data, heldOutRows, trainRows } = context;
  const d = data.dIn;
  // The training rows are read in place from the shared residuals; only the (smaller) validation rows are copied.
  const validation = data.rowsOf("r", context.validationRows);
  const batchSize = Math.min(job.batchSize ?? 1024, trainRows.length);
  const budget = job.steps ?? 2000;
  const epochOf = (step: number) => (step * batchSize) / trainRows.length;
  let best: { trained: Awaited<ReturnType<typeof trainSae>>; lr: number } | null = null;
  for (const [i, lr] of job.fitting.lrGrid.entries()) {
    const trained = await trainSae(arrayRowSource(data.parts.r, d, job.seed, trainRows), {
      dSae: job.dSae,
      l1: job.l1,
      seed: job.seed,
      lr,
      steps: budget,
      batchSize,
      normalize: "expected_average_only_in",
      earlyStopping: { validation, ...plateauRuleOf(job.fitting) },
      onProgress: (p) => onStep(i * budget + p.step, job.fitting.lrGrid.length * budget),
      ...(signal ? { signal } : {}),
    });
    if (trained.stopReason === "aborted" || trained.stopReason === "non_finite") {
      trained.sae.dispose();
      best?.trained.sae.dispose();
      if (trained.stopReason === "aborted") throw new StudyCancelled();
      throw new Error(`residual SAE (λ ${job.l1}, lr ${lr}) stopped: non-finite loss.`);
    }
    if (!best || trained.validation!.bestEr > best.trained.validation!.bestEr) {
      best?.trained.sae.dispose();
      best = { trained, lr };
    } else trained.sae.dispose();
  }
  if (!best) throw new Error("the study's learning-rate grid is empty; give at least one learning rate.");
  const { sae, validation: trace, stopReason, steps } = best.trained;
  // The SAE reads r only: batches without x.
  const reconstructed = (batch: { r: Float32Array }) => sae.reconstruct(batch.r).xHat;
  const trainEr = errorReductionOf(predictorRowErrors(data, trainRows, reconstructed, trainRows, false));
  let active = 0;
  const rows = predictorRowErrors(
    data,
    heldOutRows,
    (batch) => {
      const { f, xHat } = sae.reconstruct(batch.r);
      for (const v of f) if (v > 0) active++;
      return xHat;
    },
    heldOutRows,
    false,
  );
  sae.dispose();
  const fit: ModelFit = {
    fit: stopReason === "early_stopped" ? "early_stopped" : "budget_exhausted",
    epochs: epochOf(steps),
    lr: best.lr,
    ridge: null,
    train_er: trainEr,
    val_er: trace!.bestEr,
    curve: trace!.curve.map((point) => ({ at: epochOf(point.step), val_er: point.val_er })),
  };
  return {
    rows,
    parameters: 2 * d * job.dSae + d + job.dSae,
    l0: active / heldOutRows.length,
    fit,
    model: null,
  };
}

export const RESULT_FILE = "result.safetensors";

/** What a saved result must match to be reused: the job itself, without where it is saved. */
function jobIdentity(job: StudyJob): string {
  const { resultDir: _dir, resume: _resume, ...rest } = job;
  const { initialAffine, ...plain } = rest as Partial<ModelJob> & Record<string, unknown>;
  return JSON.stringify({
    ...plain,
    initialAffine: initialAffine ? { sum: checksum(initialAffine.weights) + checksum(initialAffine.intercept) } : null,
  });
}

function checksum(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * ((i % 7) + 1);
  return sum;
}

function saveJobResult(job: StudyJob, result: StudyJobResult): void {
  const dir = job.resultDir!;
  mkdirSync(dir, { recursive: true });
  const state = {
    identity: jobIdentity(job),
    residual: Array.from(result.rows.residual),
    total: Array.from(result.rows.total),
    parameters: result.parameters,
    l0: result.l0,
    fit: result.fit,
    model: result.model ? { config: result.model.config, scales: result.model.scales } : null,
  };
  const tensors = result.model ? result.model.exportTensors() : {};
  writeSafetensors(join(dir, RESULT_FILE), tensors, { state: JSON.stringify(state) });
}

/** Saves a model where readSavedModel finds it (a job's result with only the model; for tools and tests). */
export function writeSavedModel(dir: string, model: ResidualModel): void {
  mkdirSync(dir, { recursive: true });
  const state = { model: { config: model.config, scales: model.scales } };
  writeSafetensors(join(dir, RESULT_FILE), model.exportTensors(), { state: JSON.stringify(state) });
}

/**
 * The model a finished job saved in `dir` (its configuration, scales and weights), or null when the folder holds no
 * result or its result kept no model (only the first seed's models named in `keep`, the full NFM among them, do).
 */
export function readSavedModel(dir: string): ResidualModel | null {
  const path = join(dir, RESULT_FILE);
  if (!existsSync(path)) return null;
  const { tensors, metadata } = readSafetensors(path);
  const state = JSON.parse(metadata["state"] ?? "null") as {
    model: { config: ResidualModelConfig; scales: InputScales } | null;
  } | null;
  if (!state?.model) return null;
  return ResidualModel.fromState({ ...state.model, tensors });
}

function loadJobResult(job: StudyJob): StudyJobResult | null {
  const path = join(job.resultDir!, RESULT_FILE);
  if (!existsSync(path)) return null;
  const { tensors, metadata } = readSafetensors(path);
  const state = JSON.parse(metadata["state"] ?? "null") as {
    identity: string;
    residual: number[];
    total: number[];
    parameters: number;
    l0: number | null;
    fit: ModelFit;
    model: { config: ResidualModelConfig; scales: InputScales } | null;
  } | null;
  if (!state || state.identity !== jobIdentity(job)) return null;
  const keep = job.kind === "model" && job.keep;
  if (keep && !state.model) return null;
  return {
    rows: { residual: Float64Array.from(state.residual), total: Float64Array.from(state.total) },
    parameters: state.parameters,
    l0: state.l0,
    fit: state.fit,
    model: keep ? ResidualModel.fromState({ ...state.model!, tensors }) : null,
  };
}
