/**
 * The interaction study's models and controls, all fitted on the same training rows, tuned on the same validation
 * rows and evaluated on the same held-out rows (issue 14). Every predictive model of the error takes the code f only.
 * Affine maps are fitted exactly (closed form, λ chosen on validation); models with a non-linear part start with
 * their linear part at its closed form and are fitted by early stopping on validation over the same learning-rate
 * grid, patience and step budget — the NFM never gets more tuning than its controls. Several seeds each; reports ER
 * with bootstrap CIs, each model's fit, the tables' paired gains and a verdict.
 */
import { join } from "node:path";
import {
  type AffineFit,
  type AffineProblem,
  affineErrors,
  fitAffine,
  fitAffineMany,
  type RowPairing,
} from "../../nfm/affine-fit.js";
import { ResidualModel } from "../../nfm/model.js";
import { type ResidualData, residualDataSparse } from "../../nfm/residual-data.js";
import { estimateScales, interactionConfigOf, nullPermutation, type TrainNfmOptions } from "../../nfm/train.js";
import { modelConfig } from "../../nfm/variants.js";
import {
  averageRowErrors,
  type BootstrapOptions,
  type Estimate,
  errorReductionCi,
  errorReductionGainCi,
  errorReductionOf,
  type RowErrors,
} from "../../stats/bootstrap.js";
import { createRng } from "../../stats/rng.js";
import type { WorkerThreads } from "../../workers/start-workers.js";
import { gainSection, modelSections } from "../evidence-sections.js";
import { type ErrorTarget, GAINS, MODELS } from "../evidence-tables.js";
import type { GainSection, ModelFit, ModelReport, ResidualSaeReport, StudyReport } from "../report-types.js";
import { StageClock } from "../stage-clock.js";
import {
  DEFAULT_FITTING,
  type FittingRule,
  type JobSchedule,
  jobReady,
  runStudyJob,
  type StudyJob,
  type StudyJobResult,
  scheduledJob,
} from "./study-jobs.js";
import { runJobsInWorkers } from "./study-pool.js";

/** The study's evidence as the report holds it (model sections, gains, verdict, convergence) and the models kept
 *  for inspection. */
export interface InteractionStudyResult
  extends Pick<StudyReport, "controls" | "nfm" | "verdict" | "converged" | keyof GainSection> {
  /** The full NFM of the first seed, kept for inspection (caller disposes). */
  fullModel: ResidualModel;
  /** First-seed models named in options.keep (the full NFM among them; caller disposes each once). */
  kept: Record<string, ResidualModel>;
  /** The full NFM of every seed, in seed order (the first is `fullModel`); the caller disposes the others. */
  fullSeeds: ResidualModel[];
  /** The full NFM's report (the study always fits it). */
  full: ModelReport;
  /** Wall seconds of the closed-form fits and of the trained models (`interactions_closed_form`, `…_trained`). */
  seconds: Record<string, number>;
}

export interface ResidualSaeOptions {
  dSae: number;
  /** λ of the main run; the control is also run at l1 · each of `l1Factors` (default [1/3, 3]). */
  l1: number;
  l1Factors?: number[];
  /** Step budget of each run (early stopping on validation ends it sooner). */
  steps?: number;
  batchSize?: number;
}

export interface InteractionStudyOptions {
  /** Rows every model is fitted on, the rows its λ / learning rate / stopping step are chosen on, and the rows it
   *  is evaluated on (disjoint). */
  trainRows: Int32Array;
  validationRows: Int32Array;
  heldOutRows: Int32Array;
  /** Seeds for every model (default [0, 1, 2]). */
  seeds?: number[];
  /** Shared training options of the NFM and the controls (K, step budget, batch size, head, dropout, batch norm). */
  nfm?: Omit<TrainNfmOptions, "trainRows" | "seed" | "variant" | "permuteTargets" | "onProgress" | "signal" | "lr">;
  /** Learning-rate grid, validation cadence and patience of every trained model (default DEFAULT_FITTING). */
  fitting?: FittingRule;
  /** The residual-SAE control (null skips it). */
  residualSae?: ResidualSaeOptions | null;
  /** Resamples and seed of the CIs; `groups` (one cluster id per held-out row, in heldOutRows order, e.g. the
   *  row's context window) makes them cluster-bootstrap intervals. */
  bootstrap?: BootstrapOptions;
  /** Reports which model is training, how far it is and how far the study is. */
  onProgress?: (p: InteractionStudyProgress) => void;
  signal?: AbortSignal;
  /** Each finished model's result goes into `<checkpointRoot>/<model>-seed<seed>`; with `resume`, finished models
   *  are loaded instead of fitted again. */
  checkpointRoot?: string;
  resume?: boolean;
  /** Models (by report name) whose first-seed instance is returned in `kept` (default: full). */
  keep?: string[];
  /** Worker threads that train models side by side (default 1: all in this thread). Results are the same. */
  threads?: WorkerThreads;
}

export interface InteractionStudyProgress {
  model: string;
  seed: number;
  /** Models finished so far, and in all. */
  done: number;
  total: number;
  /** Steps of the model reported now. */
  step: number;
  steps: number;
  /** Fraction of a model's training done by the models now running (0..threads). */
  running: number;
}

/** The models every seed trains, as the evidence table lists them. */
const TRAINED_MODELS = MODELS.flatMap((entry) =>
  entry.fitting.by === "residual_model" ? [{ name: entry.name, ...entry.fitting }] : [],
);

/** The models fitted in closed form (once: they do not depend on the seed). */
const CLOSED_FORM_MODELS = MODELS.flatMap((entry) =>
  entry.fitting.by === "closed_form" ? [{ name: entry.name, ...entry.fitting }] : [],
);

/** A model's report from its seeds' held-out errors and its (first seed's) fit; budget_exhausted if any seed was. */
function report(runs: { seed: number; rows: RowErrors; fit: ModelFit }[], parameters: number, boot: BootstrapOptions) {
  const averaged = averageRowErrors(runs.map((r) => r.rows));
  const { value, ci95 } = errorReductionCi(averaged, boot);
  const first = runs[0]!.fit;
  const result: ModelReport = {
    er: value,
    ci95,
    seeds: runs.map((r) => ({ seed: r.seed, er: errorReductionOf(r.rows) })),
    parameters,
    ...first,
    fit: runs.some((r) => r.fit.fit === "budget_exhausted") ? "budget_exhausted" : first.fit,
  };
  return { result, averaged };
}

/** The residual-SAE runs: the main λ on every seed, the other λ values on the first seed. */
function residualSaeRuns(rsae: ResidualSaeOptions, seeds: number[]): { l1: number; seed: number }[] {
  return [
    ...seeds.map((seed) => ({ l1: rsae.l1, seed })),
    ...(rsae.l1Factors ?? [1 / 3, 3]).map((factor) => ({ l1: rsae.l1 * factor, seed: seeds[0]! })),
  ];
}

/** The closed-form fits the study needs: every closed-form model, and the permutation null's start per seed. */
interface ClosedForms {
  /** By model name (linear_f, linear_f_nl, linear_x). */
  models: Record<string, AffineFit>;
  /** The linear f → r fit of each seed's permuted problem. */
  permuted: Map<number, AffineFit>;
}

/**
 * The same rows with the nonlinear error as target: r_nl = r − (A·x + c), A and c the closed-form linear x → r fit on
 * the training rows. Computed at each read from x and r (a d_in × d_in product on the compute engine per batch), not
 * stored: a third n × d_in array would be the largest single cost of a study's memory.
 */
function nonlinearErrorData(data: ResidualData, linearX: AffineFit): ResidualData {
  const { f, x, r } = data.parts;
  const shift = { weights: Float32Array.from(linearX.weights), intercept: Float32Array.from(linearX.intercept) };
  return residualDataSparse(f, x, r, data.dSae, data.dIn, shift);
}

async function closedForms(
  data: ResidualData,
  dataNl: ResidualData,
  linearX: AffineFit,
  options: InteractionStudyOptions,
  seeds: number[],
): Promise<ClosedForms> {
  const dataOf = (target: ErrorTarget) => (target === "r_nl" ? dataNl : data);
  const { trainRows, validationRows } = options;
  // Every f-side problem shares the Gram matrix of the training rows' codes: one factor per λ serves them all.
  const onF = CLOSED_FORM_MODELS.filter((spec) => spec.input === "f");
  const nullSeeds = TRAINED_MODELS.some((spec) => spec.permuteTargets) ? seeds : [];
  const shuffled = (rows: Int32Array, order: Int32Array) => Int32Array.from(order, (i) => rows[i]!);
  const problems: AffineProblem[] = [
    ...onF.map((spec) => ({ data: dataOf(spec.target) })),
    ...nullSeeds.map((seed) => ({
      data,
      trainTargets: shuffled(trainRows, nullPermutation(trainRows.length, seed)),
      validationTargets: shuffled(validationRows, nullPermutation(validationRows.length, seed, 1)),
    })),
  ];
  const fits = await fitAffineMany("f", problems, trainRows, validationRows, undefined, "auto", options.signal);
  const models: Record<string, AffineFit> = {};
  for (const [k, spec] of onF.entries()) models[spec.name] = fits[k]!;
  // The only x-side model is linear_x on r: the fit r_nl is defined by.
  for (const spec of CLOSED_FORM_MODELS) if (spec.input === "x") models[spec.name] = linearX;
  const permuted = new Map(nullSeeds.map((seed, k) => [seed, fits[onF.length + k]!]));
  return { models, permuted };
}

/** Every training the study needs, as plain-data jobs (models first, then residual-SAE runs). */
function studyJobs(
  data: ResidualData,
  options: InteractionStudyOptions,
  seeds: number[],
  closed: ClosedForms,
): StudyJob[] {
  const nfmOptions = options.nfm ?? {};
  const interaction = interactionConfigOf(nfmOptions);
  const fitting = options.fitting ?? DEFAULT_FITTING;
  const keep = new Set(["full", ...(options.keep ?? [])]);
  const saving = (name: string, seed: number) =>
    options.checkpointRoot
      ? { resultDir: join(options.checkpointRoot, `${name}-seed${seed}`), resume: options.resume === true }
      : {};
  const { k: _k, hidden: _h, dropout: _d, batchNorm: _b, ...training } = nfmOptions;
  const jobs: StudyJob[] = [];
  for (const spec of TRAINED_MODELS) {
    const config = modelConfig(spec.kind, data.dSae, data.dIn, interaction);
    for (const [i, seed] of seeds.entries()) {
      const start = !config.linear
        ? null
        : spec.permuteTargets
          ? closed.permuted.get(seed)!
          : closed.models[spec.target === "r_nl" ? "linear_f_nl" : "linear_f"]!;
      jobs.push({
        kind: "model",
        name: spec.name,
        seed,
        config,
        training,
        permuteTargets: spec.permuteTargets,
        target: spec.target,
        initialAffine: start ? { weights: start.weights, intercept: start.intercept } : null,
        fitting,
        // Every seed's full NFM is kept: the pair ranking's replication across seeds compares their embeddings.
        keep: (i === 0 && keep.has(spec.name)) || spec.name === "full",
        ...saving(spec.name, seed),
      });
    }
  }
  const rsae = options.residualSae ?? null;
  if (!rsae) return jobs;
  const { l1: _l1, l1Factors: _factors, ...rsaeTraining } = rsae;
  for (const { l1, seed } of residualSaeRuns(rsae, seeds)) {
    jobs.push({
      kind: "residual_sae",
      name: `residual_sae λ=${Number(l1.toPrecision(4))}`,
      seed,
      l1,
      ...rsaeTraining,
      fitting,
      ...saving(`residual_sae-l1_${Number(l1.toPrecision(6))}`, seed),
    });
  }
  return jobs;
}

/**
 * Runs the jobs so that each model's first-seed job (and the residual SAE's at its main λ) tries every learning rate
 * of the grid, and every other job trains at the rate its family chose on validation there, starting as soon as that
 * choice is made. Every model gets the same tuning (one grid search, on its first seed), and the seeds then measure
 * the spread at that setting; the residual SAE's λ sweep is one family, tuned once at the main λ. Results in job
 * order.
 */
async function runJobsTunedOnFirstSeed(
  jobs: StudyJob[],
  data: ResidualData,
  dataNl: ResidualData,
  options: InteractionStudyOptions,
  firstSeed: number,
): Promise<StudyJobResult[]> {
  const mainL1 = options.residualSae?.l1;
  const tunes = (job: StudyJob) => job.seed === firstSeed && (job.kind === "model" || job.l1 === mainL1);
  // The grid searches first, the residual SAE's (its longest) before the models'; then the jobs that wait for one.
  const indices = jobs.map((_, i) => i);
  const order = [
    ...indices.filter((i) => tunes(jobs[i]!) && jobs[i]!.kind === "residual_sae"),
    ...indices.filter((i) => tunes(jobs[i]!) && jobs[i]!.kind === "model"),
    ...indices.filter((i) => !tunes(jobs[i]!)),
  ];
  const ordered = order.map((i) => jobs[i]!);
  const tuner = new Map<string, number>();
  ordered.forEach((job, k) => {
    if (tunes(job)) tuner.set(tuningKey(job), k);
  });
  const schedule: JobSchedule = {
    after: ordered.map((job) => (tunes(job) ? null : (tuner.get(tuningKey(job)) ?? null))),
    ready: (k, dependency) => {
      const job = ordered[k]!;
      const lr = dependency?.fit.lr ?? null;
      return lr === null ? job : { ...job, fitting: { ...job.fitting, lrGrid: [lr] } };
    },
  };
  const done = await runJobs(ordered, data, dataNl, options, schedule);
  const results: StudyJobResult[] = new Array(jobs.length);
  for (const [k, i] of order.entries()) results[i] = done[k]!;
  return results;
}

/** Jobs that share a learning rate: the same model across seeds; every residual-SAE run (all λ, all seeds). */
function tuningKey(job: StudyJob): string {
  return job.kind === "model" ? `model:${job.name}` : "residual_sae";
}

/** Runs the jobs in this thread (in order; a job's dependency comes before it), or on `threads` worker threads;
 *  results in job order. */
async function runJobs(
  jobs: StudyJob[],
  data: ResidualData,
  dataNl: ResidualData,
  options: InteractionStudyOptions,
  schedule?: JobSchedule,
): Promise<StudyJobResult[]> {
  const progress = { done: 0, total: jobs.length };
  const steps = new Map<number, { step: number; steps: number }>();
  const reportProgress = (job: number) => {
    const current = steps.get(job) ?? { step: 0, steps: 1 };
    const running = [...steps.values()].reduce((sum, s) => sum + s.step / Math.max(1, s.steps), 0);
    options.onProgress?.({
      model: jobs[job]!.name,
      seed: jobs[job]!.seed,
      done: progress.done,
      total: progress.total,
      step: current.step,
      steps: current.steps,
      running,
    });
  };
  const onStep = (job: number, step: number, total: number) => {
    steps.set(job, { step, steps: total });
    reportProgress(job);
  };
  const onDone = (job: number) => {
    steps.delete(job);
    progress.done++;
  };
  const rows = {
    data,
    dataNl,
    trainRows: options.trainRows,
    validationRows: options.validationRows,
    heldOutRows: options.heldOutRows,
  };
  if ((options.threads?.count ?? 1) > 1) {
    return runJobsInWorkers(
      jobs,
      rows,
      options.threads!,
      { onStep, onDone, ...(options.signal ? { signal: options.signal } : {}) },
      schedule,
    );
  }
  const context = rows;
  const results: StudyJobResult[] = [];
  try {
    for (const i of jobs.keys()) {
      if (!jobReady(schedule, results, i)) throw new Error(`study job ${i} runs before the job it waits for.`);
      const job = scheduledJob(jobs, schedule, results, i);
      onStep(i, 0, 1);
      results.push(await runStudyJob(job, context, (step, total) => onStep(i, step, total), options.signal));
      onDone(i);
    }
    return results;
  } catch (error) {
    for (const result of results) result.model?.dispose();
    throw error;
  }
}

/** A closed-form fit of f → r as a residual model (linear part only), e.g. for the joint fine-tuning mode. */
function affineModel(data: ResidualData, fit: AffineFit, trainRows: Int32Array): ResidualModel {
  const model = new ResidualModel(
    modelConfig("linear-only", data.dSae, data.dIn, interactionConfigOf({})),
    estimateScales(data, trainRows),
    createRng(0),
  );
  model.startAtAffine(fit.weights, fit.intercept);
  return model;
}

/** A closed-form model's report: the same figure for every seed (the fit does not depend on it). */
function closedFormReport(
  fit: AffineFit,
  data: ResidualData,
  heldOutRows: Int32Array,
  seeds: number[],
  boot: BootstrapOptions,
) {
  const rows = affineErrors(data, fit, { rows: heldOutRows });
  const modelFit: ModelFit = {
    fit: "closed_form",
    epochs: null,
    lr: null,
    ridge: fit.ridge,
    train_er: fit.train_er,
    val_er: fit.val_er,
    curve: fit.curve.map((point) => ({ at: point.ridge, val_er: point.val_er })),
  };
  return report(
    seeds.map((seed) => ({ seed, rows, fit: modelFit })),
    fit.inputs * fit.outputs + fit.outputs,
    boot,
  );
}

/** Fits every model and control over all seeds and returns the study's ER table, fits, gains and verdict. */
export async function runInteractionStudy(
  data: ResidualData,
  options: InteractionStudyOptions,
): Promise<InteractionStudyResult> {
  const seeds = options.seeds ?? [0, 1, 2];
  if (seeds.length === 0) throw new Error("runInteractionStudy: pass at least one seed.");
  const boot = options.bootstrap ?? {};
  const train: RowPairing = { rows: options.trainRows };
  const validation: RowPairing = { rows: options.validationRows };
  const report0 = (model: string) =>
    options.onProgress?.({ model, seed: seeds[0]!, done: 0, total: 1, step: 0, steps: 1, running: 0 });
  const clock = new StageClock();
  const signal = options.signal ? { signal: options.signal } : {};
  report0("linear_x");
  const closedFormStarted = performance.now();
  const linearX = await fitAffine(data, { input: "x", train, validation, ...signal });
  const dataNl = nonlinearErrorData(data, linearX);
  report0("linear_f");
  const closed = await closedForms(data, dataNl, linearX, options, seeds);
  clock.add("interactions_closed_form", (performance.now() - closedFormStarted) / 1000);
  const jobs = studyJobs(data, options, seeds, closed);
  const results = await clock.time("interactions_trained", () =>
    runJobsTunedOnFirstSeed(jobs, data, dataNl, options, seeds[0]!),
  );

  const reports: Record<string, ModelReport> = {};
  const averaged: Record<string, RowErrors> = {};
  const kept: Record<string, ResidualModel> = {};
  const fullSeeds: ResidualModel[] = [];
  for (const [i, job] of jobs.entries()) {
    const model = results[i]!.model;
    if (!model) continue;
    if (job.name === "full") fullSeeds.push(model);
    if (job.kind === "model" && job.seed === seeds[0]) kept[job.name] = model;
  }
  try {
    for (const spec of CLOSED_FORM_MODELS) {
      if (spec.input === "f" && spec.target === "r" && options.keep?.includes(spec.name)) {
        kept[spec.name] = affineModel(data, closed.models[spec.name]!, options.trainRows);
      }
    }
    for (const spec of CLOSED_FORM_MODELS) {
      const target = spec.target === "r_nl" ? dataNl : data;
      const r = closedFormReport(closed.models[spec.name]!, target, options.heldOutRows, seeds, boot);
      reports[spec.name] = r.result;
      averaged[spec.name] = r.averaged;
    }
    for (const spec of TRAINED_MODELS) {
      const runs = jobs.flatMap((job, i) =>
        job.kind === "model" && job.name === spec.name
          ? [{ seed: job.seed, rows: results[i]!.rows, fit: results[i]!.fit }]
          : [],
      );
      const parameters = results[jobs.findIndex((job) => job.name === spec.name)]!.parameters;
      const r = report(runs, parameters, boot);
      reports[spec.name] = r.result;
      averaged[spec.name] = r.averaged;
    }
    const rsae = options.residualSae ?? null;
    const residualSae = rsae ? residualSaeReport(rsae, seeds, jobs, results, boot) : null;
    const gains = gainSection((gain) => errorReductionGainCi(averaged[gain.a]!, averaged[gain.b]!, boot));
    const sections = modelSections((entry) =>
      entry.fitting.by === "residual_sae" ? residualSae : reports[entry.name]!,
    );
    const fits: [string, { fit: string }][] = [
      ...Object.entries(reports),
      ...(residualSae ? [["residual_sae", residualSae] as [string, ResidualSaeReport]] : []),
    ];
    const notConverged = fits.filter(([, report]) => report.fit === "budget_exhausted").map(([name]) => name);
    return {
      ...sections,
      ...gains,
      verdict: verdict(reports, gains, notConverged),
      converged: notConverged.length === 0,
      fullModel: kept["full"]!,
      kept,
      fullSeeds,
      full: reports["full"]!,
      seconds: clock.seconds,
    };
  } catch (error) {
    for (const model of new Set([...Object.values(kept), ...fullSeeds])) model.dispose();
    throw error;
  }
}

/** The residual-SAE control from its runs: ER over seeds at the main λ, and the first seed at every λ. */
function residualSaeReport(
  rsae: ResidualSaeOptions,
  seeds: number[],
  jobs: StudyJob[],
  results: StudyJobResult[],
  boot: BootstrapOptions,
): ResidualSaeReport {
  const runs = jobs.flatMap((job, i) => (job.kind === "residual_sae" ? [{ job, result: results[i]! }] : []));
  const main = runs.filter(({ job }) => job.l1 === rsae.l1);
  const { result } = report(
    main.map(({ job, result }) => ({ seed: job.seed, rows: result.rows, fit: result.fit })),
    main[0]!.result.parameters,
    boot,
  );
  const byL1 = runs
    .filter(({ job }) => job.seed === seeds[0])
    .map(({ job, result }) => {
      const { value, ci95 } = errorReductionCi(result.rows, boot);
      return { l1: job.l1, er: value, ci95, l0: result.l0 ?? 0 };
    })
    .sort((a, b) => a.l1 - b.l1);
  const sweepConverged = runs.every(({ result }) => result.fit.fit !== "budget_exhausted");
  return { ...result, fit: sweepConverged ? result.fit : "budget_exhausted", l1: rsae.l1, by_l1: byL1 };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const ci = (e: Estimate) => `[${pct(e.ci95[0])}, ${pct(e.ci95[1])}]`;

/**
 * beats_all_controls: the CI lower bound of every verdict gain (interaction_gain, interaction_specificity, full over
 * the permutation null) above 0. When a model one of those gains depends on ended on its step budget, the sentence
 * says the comparison is inconclusive and the verdict is false.
 */
function verdict(
  reports: Record<string, ModelReport>,
  gains: GainSection,
  notConverged: readonly string[],
): StudyReport["verdict"] {
  const gain = (name: keyof GainSection) => gains[name]!;
  const unconverged = [...new Set(GAINS.filter((g) => g.verdict).flatMap((g) => [g.a, g.b] as string[]))].filter(
    (name) => reports[name]?.fit === "budget_exhausted",
  );
  const beatsAll = GAINS.every((g) => !g.verdict || gain(g.name).ci95[0] > 0);
  const full = reports["full"]!;
  const nonlinear = gain("nonlinear_error_gain");
  const head = `The full NFM explains ${pct(full.er)} of the SAE error on held-out rows (affine f→r ${pct(reports["linear_f"]!.er)}; x linearly predicts ${pct(reports["linear_x"]!.er)} of it).`;
  const figures = `interaction gain ${pct(gain("interaction_gain").value)} ${ci(gain("interaction_gain"))}, specificity over a matched MLP ${pct(gain("interaction_specificity").value)} ${ci(gain("interaction_specificity"))}, over the permutation null ${pct(gain("full_over_null").value)} ${ci(gain("full_over_null"))}`;
  const tail = ` On the nonlinear error (what x does not predict linearly) the interactions add ${pct(nonlinear.value)} ${ci(nonlinear)}. ${notConverged.length === 0 ? "Every model converged (closed form or early stopping)." : `Not every model converged: ${notConverged.join(", ")} ended on the step budget.`}`;
  if (unconverged.length > 0) {
    return {
      beats_all_controls: false,
      sentence: `${head} inconclusive: ${unconverged.join(", ")} did not converge (${figures}).${tail}`,
    };
  }
  if (beatsAll) {
    return {
      beats_all_controls: true,
      sentence: `${head} Its interaction path beats every control (${figures}): evidence for factorised pairwise interactions in this SAE's error, not proof of what they mean.${tail}`,
    };
  }
  return {
    beats_all_controls: false,
    sentence: `${head} It does not beat every control (${figures}), so these numbers give no evidence for pairwise feature interactions beyond what an affine map of f or a generic non-linearity explains.${tail}`,
  };
}
