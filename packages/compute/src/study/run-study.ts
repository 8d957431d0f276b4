import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../backend.js";
import type { BackendPreference } from "../backend-preference.js";
import { openCorpus } from "../corpus/open-corpus.js";
import { type NfmSpliceMetrics, nfmSpliceMetrics } from "../eval/nfm-splice.js";
import { storeWindows } from "../eval/store-windows.js";
import { harvest } from "../harvest/harvest.js";
import { concatFloat32, concatInt32 } from "../io/concat.js";
import { loadModel } from "../lm/load-model.js";
import { type InteractionStudyResult, runInteractionStudy } from "../nfm/controls.js";
import { CoActivationIndex, embeddingOf, topPairs } from "../nfm/inspect.js";
import { type JointStudyReport, runJointStudy } from "../nfm/joint-study.js";
import { residualDataFromSae } from "../nfm/residual-data.js";
import { evaluateSae } from "../sae/evaluate.js";
import type { Sae } from "../sae/sae.js";
import { loadSaeLens, SAELENS_CFG, saveSaeLens } from "../sae/saelens.js";
import { trainSae } from "../sae/train.js";
import { ActivationStore } from "../store/reader.js";
import { summariseFeatures } from "./feature-summaries.js";
import type { StudySettings } from "./options.js";
import { buildReport } from "./report.js";
import { openStudyFolder, studyPaths } from "./study-folder.js";
import type { StudyResult } from "./types.js";

export interface StudyProgress {
  /** 0..1 over the whole study. */
  fraction: number;
  /** What is running now, e.g. "SAE step 120/300". */
  message: string;
}

export interface RunStudyOptions {
  name: string;
  /** A local Hugging Face model directory. */
  modelDir: string;
  /** How the user named the model (directory or hub id). */
  modelName: string;
  /** Block whose hook_resid_post is studied; ignored when `saeDir` is given (its cfg names the hook). */
  layer?: number;
  /** An existing SAELens SAE to study instead of training one. */
  saeDir?: string;
  settings: StudySettings;
  /** The study's own folder: activation store, SAE, report. */
  workDir: string;
  /** Continue the study already in workDir (same model, hook and settings): the harvest resumes from its last
   *  shard, a trained SAE is reloaded (or its training resumes from its checkpoint), finished NFMs and controls are
   *  loaded and an interrupted one continues from its checkpoint. */
  resume?: boolean;
  onProgress?: (p: StudyProgress) => void;
  signal?: AbortSignal;
  /** The tfjs backend preference of this thread and of every worker thread (the app's configured one). */
  backend: BackendPreference;
}

/** Steps between checkpoints of the SAE and of each NFM / control. */
const SAE_CHECKPOINT_EVERY = 200;
const MODEL_CHECKPOINT_EVERY = 100;

/** Share of the study's progress bar per stage (the joint mode, when on, takes part of the interactions' share). */
function phasesOf(settings: StudySettings) {
  const joint = settings.jointSteps > 0;
  return {
    harvest: [0, 0.25],
    sae: [0.25, 0.4],
    interactions: [0.4, joint ? 0.8 : 0.95],
    joint: [0.8, 0.95],
    summaries: [0.95, 1],
  } as const;
}

function phase(
  options: RunStudyOptions,
  name: keyof ReturnType<typeof phasesOf>,
  within: number,
  message: string,
): void {
  const [from, to] = phasesOf(options.settings)[name];
  options.onProgress?.({ fraction: from + (to - from) * Math.min(1, Math.max(0, within)), message });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error("Study cancelled.", { cause: signal.reason });
}

/** The package version and git commit, for the report's provenance. */
function packageProvenance(): { package_version: string; git_commit: string | null } {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  let commit: string | null = null;
  try {
    commit = execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: import.meta.dirname,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    commit = null;
  }
  return { package_version: pkg.version, git_commit: commit };
}

function hookOf(options: RunStudyOptions, sae: Sae | null): string {
  if (sae) {
    const hook = sae.cfg.metadata["hook_name"];
    if (typeof hook !== "string") {
      throw new Error(`the SAE in ${options.saeDir} names no hook: add metadata.hook_name to its cfg.json.`);
    }
    return hook;
  }
  if (options.layer === undefined) throw new Error("give the layer to study (or an SAE whose cfg names its hook).");
  return `blocks.${options.layer}.hook_resid_post`;
}

/** Harvest → SAE → residual → NFM and its controls → inspection → feature summaries, as one StudyResult. */
export async function runStudy(options: RunStudyOptions): Promise<StudyResult> {
  const s = options.settings;
  const started = Date.now();
  const backend = await initBackend(options.backend);
  const existingSae = options.saeDir ? loadSaeLens(options.saeDir) : null;
  const hook = hookOf(options, existingSae);
  if (s.jointSteps > 0 && existingSae && existingSae.cfg.architecture !== "standard") {
    existingSae.dispose();
    throw new Error(
      `joint fine-tuning trains a standard SAE, but ${options.saeDir} is "${existingSae.cfg.architecture}"; drop the joint steps or study a standard SAE.`,
    );
  }
  const paths = studyPaths(options.workDir);
  const resuming = openStudyFolder(
    options.workDir,
    {
      name: options.name,
      modelName: options.modelName,
      layer: options.layer ?? null,
      saeDir: options.saeDir ?? null,
      settings: s,
    },
    options.resume === true,
  );

  const model = await loadModel(options.modelDir, { name: options.modelName, backend: options.backend });
  const tokenizer = model.tokenizer;
  const storeDir = paths.activations;
  try {
    await harvest({
      model,
      modelName: options.modelName,
      hook,
      corpus: openCorpus(s.corpus),
      tokens: s.tokens,
      context: s.context,
      out: storeDir,
      onProgress: (e) => phase(options, "harvest", e.done / e.total, `harvest ${e.done}/${e.total} tokens`),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    model.dispose();
  }
  throwIfAborted(options.signal);

  const store = ActivationStore.open(storeDir);
  const split = { seed: 0, heldOutFraction: s.heldOutFraction };
  const train = store.readAll(s.tokens, { ...split, split: "train" });
  const heldOut = store.readAll(s.tokens, { ...split, split: "heldOut" });
  if (train.size === 0 || heldOut.size === 0) {
    throw new Error(
      `the held-out split left ${train.size} training and ${heldOut.size} held-out rows: harvest more tokens (--tokens).`,
    );
  }
  const d = store.d;
  const x = concatFloat32([train.x, heldOut.x]);
  const storeRows = concatInt32([train.rows, heldOut.rows]);
  const trainRows = Int32Array.from({ length: train.size }, (_, i) => i);
  const heldOutRows = Int32Array.from({ length: heldOut.size }, (_, i) => train.size + i);

  let sae: Sae;
  let saeTraining: Record<string, unknown> | null = null;
  const trainingFile = join(paths.sae, "interlace_training.json");
  if (existingSae) {
    sae = existingSae;
  } else if (resuming && existsSync(join(paths.sae, SAELENS_CFG))) {
    sae = loadSaeLens(paths.sae);
    saeTraining = existsSync(trainingFile) ? JSON.parse(readFileSync(trainingFile, "utf8")) : null;
    phase(options, "sae", 1, "SAE loaded from the resumed study");
  } else {
    const trained = await trainSae(
      { data: train.x, d },
      {
        dSae: s.dSae,
        l1: s.l1,
        steps: s.saeSteps,
        batchSize: s.saeBatchSize,
        workers: { count: s.workers, backend: options.backend },
        seed: 0,
        metadata: { model_name: options.modelName, hook_name: hook, context_size: s.context, prepend_bos: false },
        checkpointDir: paths.saeCheckpoint,
        checkpointEvery: SAE_CHECKPOINT_EVERY,
        resume: resuming,
        onProgress: (p) =>
          phase(options, "sae", p.step / p.totalSteps, `SAE step ${p.step}/${p.totalSteps}, L0 ${p.l0.toFixed(1)}`),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    if (trained.stopReason !== "completed") {
      trained.sae.dispose();
      throwIfAborted(options.signal);
      throw new Error(`SAE training stopped early (${trained.stopReason}).`);
    }
    sae = trained.sae;
    saeTraining = { steps: trained.steps, norm_scale: trained.normScale, stop_reason: trained.stopReason };
    mkdirSync(paths.sae, { recursive: true });
    writeFileSync(`${trainingFile}.partial`, `${JSON.stringify(saeTraining)}\n`);
    saveSaeLens(sae, paths.sae);
    renameSync(`${trainingFile}.partial`, trainingFile);
  }

  try {
    const saeMetrics = evaluateSae(sae, heldOut.x);
    const data = residualDataFromSae(sae, x);
    const groups = Int32Array.from(heldOut.rows, (row) => Math.floor(row / s.context));
    const study = await runInteractionStudy(data, {
      trainRows,
      heldOutRows,
      seeds: s.seeds,
      nfm: { k: s.nfmK, steps: s.nfmSteps, batchSize: s.nfmBatchSize },
      keep: s.jointSteps > 0 ? ["linear_f", "mlp_matched"] : [],
      residualSae: s.residualSae
        ? { dSae: sae.dSae, l1: s.l1, steps: s.residualSaeSteps, batchSize: s.saeBatchSize }
        : null,
      bootstrap: { groups },
      checkpointRoot: paths.models,
      checkpointEvery: MODEL_CHECKPOINT_EVERY,
      resume: resuming,
      // tfjs-wasm runs one thread per worker: train models side by side on the study's threads.
      threads: { count: backend === "wasm" ? s.workers : 1, backend: options.backend },
      onProgress: (p) =>
        phase(
          options,
          "interactions",
          (p.done + p.running) / p.total,
          `training ${p.model} (seed ${p.seed}) step ${p.step}/${p.steps} · model ${Math.min(p.done + 1, p.total)}/${p.total}`,
        ),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      const joint = await jointMode(options, sae, x, study, { trainRows, heldOutRows, groups });
      phase(options, "summaries", 0, "CE loss with the SAE and SAE + NFM spliced in");
      const ceLoss = await spliceMetrics(options, store, split, sae, study.fullModel, hook);
      phase(options, "summaries", 0.5, "inspecting interactions");
      const embedding = embeddingOf(study.fullModel);
      const coActivation = new CoActivationIndex(data, trainRows);
      const pairs = topPairs(embedding, { count: s.topPairs, coActivation, supportedOnly: true });
      const features = summariseFeatures({
        data,
        storeRows,
        densityRows: heldOutRows,
        context: s.context,
        examplesPerFeature: s.examplesPerFeature,
        source: {
          context: (row) => store.rowContext(row, 12, 4),
          tokenString: (id) => tokenizer.tokenString(id),
        },
      });
      phase(options, "summaries", 1, "done");
      const report = buildReport({
        name: options.name,
        model: options.modelName,
        hook,
        backend,
        settings: s,
        rows: {
          train: train.size,
          held_out: heldOut.size,
          held_out_windows: new Set(groups).size,
          split_mode: store.heldOutRule(split).mode,
        },
        saeSource: options.saeDir ?? null,
        saeTraining,
        saeMetrics,
        ceLoss,
        study,
        joint,
        pairs,
        features,
        provenance: packageProvenance(),
        seconds: (Date.now() - started) / 1000,
      });
      return {
        name: options.name,
        model: options.modelName,
        modelType: modelTypeOf(options.modelDir),
        hook,
        metrics: {
          tokens: train.size + heldOut.size,
          dIn: d,
          dSae: sae.dSae,
          saeExplainedVariance: saeMetrics.explained_variance,
          saeL0: saeMetrics.l0,
          saeMse: saeMetrics.mse,
          deadFraction: saeMetrics.dead_fraction,
          nfmErrorReduction: study.nfm.full.er,
          nfmErrorReductionCi95: study.nfm.full.ci95,
          nfmK: s.nfmK,
        },
        features,
        interactions: pairs.map((p) => ({
          a: p.a,
          b: p.b,
          strength: Math.abs(p.strength),
          coActivations: p.coActivations ?? 0,
        })),
        report,
      };
    } finally {
      for (const model of Object.values(study.kept)) model.dispose();
    }
  } finally {
    sae.dispose();
  }
}

function modelTypeOf(dir: string): string {
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { model_type?: string };
  return config.model_type ?? "unknown";
}

/** CE loss of the LM on held-out windows with the SAE, and with SAE + full NFM, spliced in at the hook. */
async function spliceMetrics(
  options: RunStudyOptions,
  store: ActivationStore,
  split: { seed: number; heldOutFraction: number },
  sae: Sae,
  nfm: Parameters<typeof nfmSpliceMetrics>[2],
  hook: string,
): Promise<NfmSpliceMetrics | null> {
  const { windows } = storeWindows(store, options.settings.ceWindows, { ...split, split: "heldOut" });
  if (windows.length === 0) return null;
  const model = await loadModel(options.modelDir, { name: options.modelName, backend: options.backend });
  try {
    return nfmSpliceMetrics(model, sae, nfm, windows, { hook, needsX: false });
  } finally {
    model.dispose();
  }
}

/**
 * The separate joint fine-tuning mode (settings.jointSteps > 0): the SAE fine-tuned alone, with the full NFM, with a
 * linear map of f and with the capacity-matched MLP, each from the same start (the study's SAE and the first seed's
 * frozen-SAE heads).
 */
async function jointMode(
  options: RunStudyOptions,
  sae: Sae,
  x: Float32Array,
  study: InteractionStudyResult,
  rows: { trainRows: Int32Array; heldOutRows: Int32Array; groups: Int32Array },
): Promise<JointStudyReport | null> {
  const s = options.settings;
  if (s.jointSteps <= 0) return null;
  const { report } = await runJointStudy(
    sae,
    x,
    [
      { name: "sae_alone", model: null },
      { name: "sae_nfm", model: study.kept["full"]! },
      { name: "sae_linear_f", model: study.kept["linear_f"]! },
      { name: "sae_mlp_matched", model: study.kept["mlp_matched"]! },
    ],
    {
      trainRows: rows.trainRows,
      heldOutRows: rows.heldOutRows,
      steps: s.jointSteps,
      batchSize: s.saeBatchSize,
      l1: s.l1,
      seed: 0,
      bootstrap: { groups: rows.groups },
      onProgress: (p) =>
        phase(
          options,
          "joint",
          (p.done + p.step / Math.max(1, p.totalSteps)) / p.arms,
          `joint fine-tuning ${p.arm} step ${p.step}/${p.totalSteps}`,
        ),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  return report;
}
