import { initBackend } from "../backend.js";
import type { BackendPreference } from "../backend-preference.js";
import { loadModel } from "../lm/load-model.js";
import { residualDataFromSae } from "../nfm/residual-data.js";
import { evaluateSae } from "../sae/evaluate.js";
import type { Sae } from "../sae/sae.js";
import { loadSaeLens } from "../sae/saelens.js";
import { ActivationStore } from "../store/reader.js";
import type { StudySettings } from "./options.js";
import { phaseReporter, type StudyProgress } from "./progress.js";
import { packageProvenance } from "./provenance.js";
import { buildReport } from "./report.js";
import { StageClock } from "./stage-clock.js";
import { ceStage } from "./stages/ce-stage.js";
import type { StudyContext } from "./stages/context.js";
import { featureDataStage } from "./stages/feature-data-stage.js";
import { harvestStage } from "./stages/harvest-stage.js";
import { inspectStage } from "./stages/inspect-stage.js";
import { interactionsStage } from "./stages/interactions-stage.js";
import { jointStage } from "./stages/joint-stage.js";
import { lazy } from "./stages/lazy.js";
import { studyResult } from "./stages/result.js";
import { readStudyRows } from "./stages/rows.js";
import { saeStage } from "./stages/sae-stage.js";
import { openStudyFolder, studyPaths, writeStudyJson } from "./study-folder.js";
import type { StudyResult } from "./types.js";

export type { StudyProgress } from "./progress.js";

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
  /** The engine preference of this thread and of every worker thread (the app's configured one). */
  backend: BackendPreference;
}

/** The hook the study reads: the given SAE's (its cfg names it), else blocks.<layer>.hook_resid_post. */
export function studyHook(options: Pick<RunStudyOptions, "layer" | "saeDir">, sae: Sae | null): string {
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

/** A given SAE must fit the settings: the joint mode fine-tunes a standard SAE only. */
function checkGivenSae(options: RunStudyOptions, sae: Sae | null): void {
  if (!sae || options.settings.jointSteps <= 0 || sae.cfg.architecture === "standard") return;
  sae.dispose();
  throw new Error(
    `joint fine-tuning trains a standard SAE, but ${options.saeDir} is "${sae.cfg.architecture}"; drop the joint steps or study a standard SAE.`,
  );
}

/** The study's shared context; opens (or, resuming, checks) its folder. */
function studyContext(options: RunStudyOptions, hook: string, runningBackend: string): StudyContext {
  const identity = {
    name: options.name,
    modelName: options.modelName,
    layer: options.layer ?? null,
    saeDir: options.saeDir ?? null,
    settings: options.settings,
  };
  return {
    name: options.name,
    modelDir: options.modelDir,
    modelName: options.modelName,
    hook,
    settings: options.settings,
    paths: studyPaths(options.workDir),
    resuming: openStudyFolder(options.workDir, identity, options.resume === true),
    backend: options.backend,
    runningBackend,
    phase: phaseReporter(options.settings, options.onProgress),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/**
 * Harvest → rows → SAE → feature data → the NFM and its controls on the SAE's error → joint mode → CE loss →
 * inspection → report, as one StudyResult. Each stage is a function of its own (./stages); the language model is
 * loaded for the stages that run it (harvest, feature data, CE splice) and released in between.
 */
export async function runStudy(options: RunStudyOptions): Promise<StudyResult> {
  const started = Date.now();
  const runningBackend = await initBackend(options.backend);
  const givenSae = options.saeDir ? loadSaeLens(options.saeDir) : null;
  checkGivenSae(options, givenSae);
  const context = studyContext(options, studyHook(options, givenSae), runningBackend);
  const model = lazy(() => loadModel(options.modelDir, { name: options.modelName, backend: options.backend }));
  try {
    const clock = new StageClock();
    await clock.time("harvest", async () => harvestStage(context, await model.get()));
    // Reading rows and training the SAE do not need the language model: give its memory (weights, the runtime's
    // buffers) back until the next stage that runs it loads it again.
    model.dispose();
    const store = ActivationStore.open(context.paths.activations);
    const rows = await clock.time("rows", () => readStudyRows(store, context.settings));
    writeStudyJson(context.paths.split, rows.file);
    const { sae, training } = await clock.time("sae", () => saeStage(context, rows, givenSae));
    try {
      const saeMetrics = await clock.time("sae_evaluation", () => evaluateSae(sae, rows.heldOutX));
      // Feature pages depend on the SAE alone: computed before the residuals exist (the study's largest arrays), with
      // the language model loaded for it and released again after.
      const featureData = await clock.time("feature_data", async () =>
        featureDataStage(context, store, sae, await model.get()),
      );
      model.dispose();
      const data = await clock.time("residuals", () => residualDataFromSae(sae, rows.x));
      const study = await clock.time("interactions", () => interactionsStage(context, rows, sae, data));
      try {
        const joint = await clock.time("joint", () => jointStage(context, rows, sae, study));
        context.phase("summaries", 0, "CE loss with the SAE and SAE + NFM spliced in");
        const ceLoss = await clock.time("ce_loss", () => ceStage(context, model, store, sae, study.fullModel));
        context.phase("summaries", 0.5, "inspecting interactions");
        // The inspection needs only the tokenizer (a host object that outlives the model's weights).
        const { tokenizer } = await model.get();
        model.dispose();
        const { pairs, features, stored, inspection } = await clock.time("inspection", () =>
          inspectStage(context, rows, data, study.fullSeeds, store, tokenizer),
        );
        context.phase("summaries", 1, "done");
        const report = buildReport({
          name: options.name,
          model: options.modelName,
          hook: context.hook,
          backend: context.runningBackend,
          settings: context.settings,
          rows: rows.split,
          saeSource: options.saeDir ?? null,
          saeTraining: training,
          saeMetrics,
          ceLoss,
          study,
          joint,
          pairs,
          features,
          provenance: packageProvenance(),
          seconds: (Date.now() - started) / 1000,
          stageSeconds: { ...clock.seconds, ...study.seconds },
        });
        return studyResult(context, {
          rows,
          dSae: sae.dSae,
          saeMetrics,
          study,
          pairs,
          features,
          stored,
          inspection,
          featureData,
          report,
        });
      } finally {
        for (const kept of new Set([...Object.values(study.kept), ...study.fullSeeds])) kept.dispose();
      }
    } finally {
      sae.dispose();
    }
  } finally {
    model.dispose();
  }
}
