/**
 * Test support: a study folder holding what reading a study on new text needs (study.json, the SAE, the full NFM of
 * seed 0), made in a second from the fixture model and SAE and a freshly initialised NFM, instead of running a study.
 */
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ResidualModel } from "../nfm/model.js";
import { createRng } from "../stats/rng.js";
import { writeSavedModel } from "../study/interaction/study-jobs.js";
import { presetSettings } from "../study/options.js";
import { type StudyIdentity, studyPaths } from "../study/study-folder.js";
import { fixturePath } from "./fixtures.js";

/** The fixture model's directory, as the readable study records it. */
export const READABLE_STUDY_MODEL = "sotu-gpt2-6l";

/** Writes the folder into `dir` (created) and returns it. The NFM has K = 16 and one hidden layer. */
export function writeReadableStudy(dir: string, name = "readable study"): string {
  const paths = studyPaths(dir);
  mkdirSync(dir, { recursive: true });
  const identity: StudyIdentity = {
    name,
    modelName: fixturePath("models", READABLE_STUDY_MODEL),
    layer: 3,
    saeDir: null,
    settings: { ...presetSettings("tiny"), dSae: 1024, nfmK: 16, seeds: [0] },
  };
  writeFileSync(paths.manifest, `${JSON.stringify(identity, null, 2)}\n`);
  cpSync(fixturePath("saes", "sotu-gpt2-6l-L3-standard-1024"), paths.sae, { recursive: true });
  const nfm = new ResidualModel(
    { dSae: 1024, dIn: 256, linear: "f", interaction: { k: 16, hidden: [16] }, mlp: null },
    { f: 0.5, x: 1, r: 1 },
    createRng(7),
    0.3,
  );
  try {
    writeSavedModel(join(paths.models, "full-seed0"), nfm);
  } finally {
    nfm.dispose();
  }
  return dir;
}
