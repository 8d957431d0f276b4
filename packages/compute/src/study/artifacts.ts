/**
 * What a finished study leaves in its folder, loaded back for reading it on new text (steering, "run my text",
 * stimulus designs): the language model, the hook it studied, its SAE and its full NFM (first seed).
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BackendPreference } from "../backend-preference.js";
import { loadModel } from "../lm/load-model.js";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { ResidualModel } from "../nfm/model.js";
import type { Sae } from "../sae/sae.js";
import { loadSaeLens } from "../sae/saelens.js";
import { RESULT_FILE, readSavedModel } from "./interaction/study-jobs.js";
import { readStudyIdentity, STUDY_FILE, type StudyIdentity, studyPaths } from "./study-folder.js";

/** The full NFM of `seed` saved in a study folder, or null when that seed's weights were not kept. */
export function loadStudyNfm(workDir: string, seed = 0): ResidualModel | null {
  return readSavedModel(join(studyPaths(workDir).models, `full-seed${seed}`));
}

/** Whether the study folder kept the full NFM of `seed` (without loading it). */
export function hasStudyNfm(workDir: string, seed = 0): boolean {
  return existsSync(join(studyPaths(workDir).models, `full-seed${seed}`, RESULT_FILE));
}

/** The hook a study read: its SAE's cfg names it (the study writes it there for the SAEs it trains). */
export function studyHookOf(sae: Sae, identity: StudyIdentity): string {
  const hook = sae.cfg.metadata["hook_name"];
  if (typeof hook === "string") return hook;
  if (identity.layer !== null) return `blocks.${identity.layer}.hook_resid_post`;
  throw new Error(`the study's SAE names no hook (metadata.hook_name in its cfg.json) and the study has no layer.`);
}

export interface StudyArtifacts {
  identity: StudyIdentity;
  hook: string;
  model: TransformerModel;
  sae: Sae;
  /** The full NFM of the first seed; null for a study whose folder kept none. */
  nfm: ResidualModel | null;
  dispose(): void;
}

export interface OpenStudyArtifactsOptions {
  /** The study's folder. */
  workDir: string;
  /** The local directory of the study's model (resolved from the name its study.json records). */
  modelDir: string;
  backend: BackendPreference;
}

/** Loads a finished study's model, SAE and NFM; the caller disposes them with `dispose()`. */
export async function openStudyArtifacts(options: OpenStudyArtifactsOptions): Promise<StudyArtifacts> {
  const identity = readStudyIdentity(options.workDir);
  if (!identity) {
    throw new Error(`${options.workDir} holds no study (no ${STUDY_FILE}); give the folder of a study that ran.`);
  }
  const sae = loadSaeLens(identity.saeDir ?? studyPaths(options.workDir).sae);
  let nfm: ResidualModel | null = null;
  try {
    const hook = studyHookOf(sae, identity);
    nfm = loadStudyNfm(options.workDir, identity.settings.seeds[0] ?? 0);
    const model = await loadModel(options.modelDir, { name: identity.modelName, backend: options.backend });
    if (model.info.dModel !== sae.dIn) {
      model.dispose();
      throw new Error(
        `the study's SAE reads ${sae.dIn} dimensions but ${identity.modelName} has ${model.info.dModel}.`,
      );
    }
    const loadedNfm = nfm;
    return {
      identity,
      hook,
      model,
      sae,
      nfm,
      dispose() {
        model.dispose();
        sae.dispose();
        loadedNfm?.dispose();
      },
    };
  } catch (error) {
    sae.dispose();
    nfm?.dispose();
    throw error;
  }
}
