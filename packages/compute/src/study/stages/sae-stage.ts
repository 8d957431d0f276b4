import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sae } from "../../sae/sae.js";
import { loadSaeLens, SAELENS_CFG, saveSaeLens } from "../../sae/saelens.js";
import { trainSae } from "../../sae/train.js";
import { type StudyContext, signalOf, throwIfAborted } from "./context.js";
import type { StudyRows } from "./rows.js";

/** Steps between checkpoints of the study's SAE. */
export const SAE_CHECKPOINT_EVERY = 200;

export interface StudySae {
  sae: Sae;
  /** How it was trained (steps, norm scale, stop reason); null for a given SAE or one resumed without the record. */
  training: Record<string, unknown> | null;
}

/**
 * The study's SAE: the one the user gave, the one a resumed study already saved, or a new one trained on the training
 * rows (checkpointed, resumable) and saved in SAELens layout in the study folder.
 */
export async function saeStage(context: StudyContext, rows: StudyRows, given: Sae | null): Promise<StudySae> {
  if (given) return { sae: given, training: null };
  const { paths, settings: s } = context;
  const trainingFile = join(paths.sae, "interlace_training.json");
  if (context.resuming && existsSync(join(paths.sae, SAELENS_CFG))) {
    const sae = loadSaeLens(paths.sae);
    context.phase("sae", 1, "SAE loaded from the resumed study");
    return { sae, training: existsSync(trainingFile) ? JSON.parse(readFileSync(trainingFile, "utf8")) : null };
  }
  const trained = await trainSae(
    { data: rows.trainX, d: rows.d },
    {
      dSae: s.dSae,
      l1: s.l1,
      steps: s.saeSteps,
      batchSize: s.saeBatchSize,
      workers: { count: s.workers, backend: context.backend },
      seed: 0,
      metadata: { model_name: context.modelName, hook_name: context.hook, context_size: s.context, prepend_bos: false },
      checkpointDir: paths.saeCheckpoint,
      checkpointEvery: SAE_CHECKPOINT_EVERY,
      resume: context.resuming,
      onProgress: (p) =>
        context.phase("sae", p.step / p.totalSteps, `SAE step ${p.step}/${p.totalSteps}, L0 ${p.l0.toFixed(1)}`),
      ...signalOf(context),
    },
  );
  if (trained.stopReason !== "completed") {
    trained.sae.dispose();
    throwIfAborted(context.signal);
    throw new Error(`SAE training stopped early (${trained.stopReason}).`);
  }
  const training = { steps: trained.steps, norm_scale: trained.normScale, stop_reason: trained.stopReason };
  mkdirSync(paths.sae, { recursive: true });
  writeFileSync(`${trainingFile}.partial`, `${JSON.stringify(training)}\n`);
  saveSaeLens(trained.sae, paths.sae);
  renameSync(`${trainingFile}.partial`, trainingFile);
  return { sae: trained.sae, training };
}
