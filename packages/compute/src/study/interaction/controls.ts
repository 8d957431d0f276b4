/**
 * The interaction study's models and controls, all trained on the same rows and evaluated on the same held-out rows
 * (issue 6): NFM variants, linear maps from f and from x, a capacity-matched MLP on f (alone and on top of linear x),
 * the permutation null, and a residual SAE at three λ values; several seeds each (the models of the evidence table).
 * Reports ER with bootstrap CIs, the table's paired gains and a verdict.
 */
import { join } from "node:path";
import type { ResidualModel } from "../../nfm/model.js";
import type { ResidualData } from "../../nfm/residual-data.js";
import { interactionConfigOf, type TrainNfmOptions } from "../../nfm/train.js";
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
import type { WorkerThreads } from "../../workers/start-workers.js";
import { gainSection, modelSections } from "../evidence-sections.js";
import { GAINS, MODELS } from "../evidence-tables.js";
import type { GainSection, ModelReport, ResidualSaeReport, StudyReport } from "../report-types.js";
import { runStudyJob, type StudyJob, type StudyJobResult, trainResidualsOnce } from "./study-jobs.js";
import { runJobsInWorkers } from "./study-pool.js";

/** The study's evidence as the report holds it (model sections, gains, verdict) and the models kept for inspection. */
export interface InteractionStudyResult extends Pick<StudyReport, "controls" | "nfm" | "verdict" | keyof GainSection> {
  /** The full NFM of the first seed, kept for inspection (caller disposes). */
  fullModel: ResidualModel;
  /** First-seed models named in options.keep (the full NFM among them; caller disposes each once). */
  kept: Record<string, ResidualModel>;
}

export interface ResidualSaeOptions {
  dSae: number;
  /** λ of the main run; the control is also run at l1 · each of `l1Factors` (default [1/3, 3]). */
  l1: number;
  l1Factors?: number[];
  steps?: number;
  batchSize?: number;
  lr?: number;
}

export interface InteractionStudyOptions {
  trainRows: Int32Array;
  heldOutRows: Int32Array;
  /** Seeds for every model (default [0, 1, 2]). */
  seeds?: number[];
  /** Shared training options of the NFM and the controls (K, steps, batch size, lr, head, dropout, batch norm). */
  nfm?: Omit<TrainNfmOptions, "trainRows" | "seed" | "variant" | "permuteTargets" | "onProgress" | "signal">;
  /** The residual-SAE control (null skips it). */
  residualSae?: ResidualSaeOptions | null;
  /** Resamples and seed of the CIs; `groups` (one cluster id per held-out row, in heldOutRows order, e.g. the
   *  row's context window) makes them cluster-bootstrap intervals. */
  bootstrap?: BootstrapOptions;
  /** Reports which model is training, how far it is and how far the study is. */
  onProgress?: (p: InteractionStudyProgress) => void;
  signal?: AbortSignal;
  /** Each model's checkpoints go into `<checkpointRoot>/<model>-seed<seed>`; with `resume`, finished models are
   *  loaded instead of retrained and an interrupted one continues from its last checkpoint. */
  checkpointRoot?: string;
  checkpointEvery?: number;
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

/** The models every seed trains, as the evidence table lists them (the residual SAE runs apart). */
const RESIDUAL_MODELS = MODELS.flatMap((entry) =>
  entry.fitting.by === "residual_model" ? [{ name: entry.name, ...entry.fitting }] : [],
);

function report(runs: { seed: number; rows: RowErrors }[], parameters: number, boot: BootstrapOptions) {
  const averaged = averageRowErrors(runs.map((r) => r.rows));
  const { value, ci95 } = errorReductionCi(averaged, boot);
  const result: ModelReport = {
    er: value,
    ci95,
    seeds: runs.map((r) => ({ seed: r.seed, er: errorReductionOf(r.rows) })),
    parameters,
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

/** Every training the study needs, as plain-data jobs (models first, then residual-SAE runs). */
function studyJobs(data: ResidualData, options: InteractionStudyOptions, seeds: number[]): StudyJob[] {
  const nfmOptions = options.nfm ?? {};
  const interaction = interactionConfigOf(nfmOptions);
  const keep = new Set(["full", ...(options.keep ?? [])]);
  const checkpointing = (name: string, seed: number) =>
    options.checkpointRoot
      ? {
          checkpointDir: join(options.checkpointRoot, `${name}-seed${seed}`),
          ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}),
          resume: options.resume === true,
        }
      : {};
  const { k: _k, hidden: _h, dropout: _d, batchNorm: _b, ...training } = nfmOptions;
  const jobs: StudyJob[] = [];
  for (const spec of RESIDUAL_MODELS) {
    for (const [i, seed] of seeds.entries()) {
      jobs.push({
        kind: "model",
        name: spec.name,
        seed,
        config: modelConfig(spec.kind, data.dSae, data.dIn, interaction),
        training,
        permuteTargets: spec.permuteTargets,
        keep: i === 0 && keep.has(spec.name),
        ...checkpointing(spec.name, seed),
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
      ...checkpointing(`residual_sae-l1_${Number(l1.toPrecision(6))}`, seed),
    });
  }
  return jobs;
}

/** Runs the jobs in this thread, or on `threads` worker threads; results in job order. */
async function runJobs(
  jobs: StudyJob[],
  data: ResidualData,
  options: InteractionStudyOptions,
): Promise<StudyJobResult[]> {
  const steps = new Map<number, { step: number; steps: number }>();
  let done = 0;
  const reportProgress = (job: number) => {
    const current = steps.get(job) ?? { step: 0, steps: 1 };
    const running = [...steps.values()].reduce((sum, s) => sum + s.step / Math.max(1, s.steps), 0);
    options.onProgress?.({
      model: jobs[job]!.name,
      seed: jobs[job]!.seed,
      done,
      total: jobs.length,
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
    done++;
  };
  const rows = { data, trainRows: options.trainRows, heldOutRows: options.heldOutRows };
  if ((options.threads?.count ?? 1) > 1) {
    return runJobsInWorkers(jobs, rows, options.threads!, {
      onStep,
      onDone,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  const context = { ...rows, trainResiduals: trainResidualsOnce(data, options.trainRows) };
  const results: StudyJobResult[] = [];
  try {
    for (const [i, job] of jobs.entries()) {
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

/** Trains every model and control over all seeds and returns the study's ER table, gains and verdict. */
export async function runInteractionStudy(
  data: ResidualData,
  options: InteractionStudyOptions,
): Promise<InteractionStudyResult> {
  const seeds = options.seeds ?? [0, 1, 2];
  if (seeds.length === 0) throw new Error("runInteractionStudy: pass at least one seed.");
  const boot = options.bootstrap ?? {};
  const jobs = studyJobs(data, options, seeds);
  const results = await runJobs(jobs, data, options);

  const reports: Record<string, ModelReport> = {};
  const averaged: Record<string, RowErrors> = {};
  const kept: Record<string, ResidualModel> = {};
  for (const [i, job] of jobs.entries()) if (results[i]!.model) kept[job.name] = results[i]!.model!;
  try {
    for (const spec of RESIDUAL_MODELS) {
      const runs = jobs.flatMap((job, i) =>
        job.kind === "model" && job.name === spec.name ? [{ seed: job.seed, rows: results[i]!.rows }] : [],
      );
      const parameters = results[jobs.findIndex((job) => job.name === spec.name)]!.parameters;
      const r = report(runs, parameters, boot);
      reports[spec.name] = r.result;
      averaged[spec.name] = r.averaged;
    }
    const rsae = options.residualSae ?? null;
    const residualSae = rsae ? residualSaeReport(rsae, seeds, jobs, results, boot) : null;
    const gains = gainSection((gain) => errorReductionGainCi(averaged[gain.a]!, averaged[gain.b]!, boot));
    const beats = GAINS.every((gain) => gains[gain.name].ci95[0] > 0);
    return {
      ...modelSections((entry) => (entry.fitting.by === "residual_sae" ? residualSae : reports[entry.name]!)),
      ...gains,
      verdict: { beats_all_controls: beats, sentence: verdictSentence(beats, reports, gains) },
      fullModel: kept["full"]!,
      kept,
    };
  } catch (error) {
    for (const model of Object.values(kept)) model.dispose();
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
    main.map(({ job, result }) => ({ seed: job.seed, rows: result.rows })),
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
  return { ...result, l1: rsae.l1, by_l1: byL1 };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const ci = (e: Estimate) => `[${pct(e.ci95[0])}, ${pct(e.ci95[1])}]`;

function verdictSentence(beats: boolean, reports: Record<string, ModelReport>, gains: GainSection): string {
  const { interaction_gain: gain, interaction_gain_over_x: overX, interaction_specificity: specificity } = gains;
  const full = reports["full"]!;
  const head = `The full NFM explains ${pct(full.er)} of the SAE error on held-out rows (linear f→r ${pct(reports["linear_f"]!.er)}, linear x→r ${pct(reports["linear_x"]!.er)}).`;
  if (beats) {
    return `${head} Its interaction path adds ${pct(gain.value)} ${ci(gain)} over linear f, ${pct(overX.value)} ${ci(overX)} over linear x, and ${pct(specificity.value)} ${ci(specificity)} over a capacity-matched MLP, beating every control: evidence for factorised pairwise interactions in this SAE's error, not proof of what they mean.`;
  }
  return `${head} It does not beat every control (interaction gain ${pct(gain.value)} ${ci(gain)}, over linear x ${pct(overX.value)} ${ci(overX)}, over a matched MLP ${pct(specificity.value)} ${ci(specificity)}), so these numbers give no evidence for pairwise feature interactions beyond what linear maps or a generic non-linearity explain.`;
}
