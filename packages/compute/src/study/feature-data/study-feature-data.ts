/** Feature data for a study already run: its folder holds the activation store, the SAE and the settings. */
import { initBackend } from "../../backend.js";
import type { BackendPreference } from "../../backend-preference.js";
import { loadModel } from "../../lm/load-model.js";
import { loadSaeLens } from "../../sae/saelens.js";
import { ActivationStore } from "../../store/reader.js";
import { heldOutFeatureData } from "../stages/feature-data-stage.js";
import { readStudyIdentity, STUDY_FILE, studyPaths } from "../study-folder.js";
import type { FeatureData } from "./types.js";

export interface StudyFeatureDataOptions {
  /** The study's folder. */
  workDir: string;
  /** The local directory of the study's model (resolved from the name its study.json records). */
  modelDir: string;
  backend: BackendPreference;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Computes every feature's data on the study's held-out rows, with the SAE the study trained (or was given). */
export async function computeStudyFeatureData(options: StudyFeatureDataOptions): Promise<FeatureData[]> {
  await initBackend(options.backend);
  const identity = readStudyIdentity(options.workDir);
  if (!identity) {
    throw new Error(`${options.workDir} holds no study (no ${STUDY_FILE}); give the folder of a study that ran.`);
  }
  const paths = studyPaths(options.workDir);
  const sae = loadSaeLens(identity.saeDir ?? paths.sae);
  try {
    const store = ActivationStore.open(paths.activations);
    const model = await loadModel(options.modelDir, { name: identity.modelName, backend: options.backend });
    try {
      return heldOutFeatureData({
        settings: identity.settings,
        store,
        sae,
        model,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } finally {
      model.dispose();
    }
  } finally {
    sae.dispose();
  }
}
