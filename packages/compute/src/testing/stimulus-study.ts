/**
 * Test support: a study folder a stimulus analysis can run on without training anything — the fixture model and its
 * layer-3 SAE, and a full NFM (K 8) with small random weights.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ResidualModel } from "../nfm/model.js";
import { createRng, normalArray } from "../stats/rng.js";
import { writeSavedModel } from "../study/interaction/study-jobs.js";
import { presetSettings } from "../study/options.js";
import { type StudyIdentity, studyPaths } from "../study/study-folder.js";
import { fixturePath } from "./fixtures.js";

/** An NFM on the fixture SAE's 1,024 features (d_in 256) with random weights of scale `scale`. */
export function randomFixtureNfm(seed = 1, k = 8, scale = 0.05): ResidualModel {
  const model = new ResidualModel(
    { dSae: 1024, dIn: 256, linear: "f", interaction: { k, hidden: [k] }, mlp: null },
    { f: 0.5, x: 1, r: 1 },
    createRng(seed),
  );
  const rng = createRng(seed + 1);
  tf.tidy(() => {
    for (const p of Object.values(model.params)) p.assign(tf.tensor(normalArray(p.size, rng, scale), p.shape));
  });
  return model;
}

/** Writes study.json and the NFM into `workDir`; the model and SAE are the fixtures'. Returns the model folder. */
export function writeFixtureStimulusStudy(workDir: string, name = "stimulus fixture study"): { modelDir: string } {
  const modelDir = fixturePath("models", "sotu-gpt2-6l");
  const identity: StudyIdentity = {
    name,
    modelName: modelDir,
    layer: 3,
    saeDir: fixturePath("saes", "sotu-gpt2-6l-L3-standard-1024"),
    settings: { ...presetSettings("tiny"), dSae: 1024, nfmK: 8, seeds: [0] },
  };
  mkdirSync(workDir, { recursive: true });
  writeFileSync(studyPaths(workDir).manifest, `${JSON.stringify(identity, null, 2)}\n`);
  const nfm = randomFixtureNfm();
  try {
    writeSavedModel(join(studyPaths(workDir).models, "full-seed0"), nfm);
  } finally {
    nfm.dispose();
  }
  return { modelDir };
}
