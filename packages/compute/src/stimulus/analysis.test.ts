import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend.js";
import { loadModel } from "../lm/load-model.js";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { ResidualModel } from "../nfm/model.js";
import type { Sae } from "../sae/sae.js";
import { loadSaeLens } from "../sae/saelens.js";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { randomFixtureNfm } from "../testing/stimulus-study.js";
import { checkDesign, runStimulusAnalysis, stimulusResultJson } from "./analysis.js";
import { demoDesign } from "./demo.js";
import { DesignError } from "./design.js";
import { measurePrompt, type StimulusModels } from "./measures.js";

const hook = "blocks.3.hook_resid_post";
let model: TransformerModel;
let sae: Sae;
let nfm: ResidualModel;
let models: StimulusModels;

before(async () => {
  await initBackend("auto");
  model = await loadModel(join(fixtures, "models", "sotu-gpt2-6l"), { backend: "auto" });
  sae = loadSaeLens(join(fixtures, "saes", "sotu-gpt2-6l-L3-standard-1024"));
  nfm = randomFixtureNfm();
  models = { model, hook, sae, nfm };
});
after(() => {
  model?.dispose();
  sae?.dispose();
  nfm?.dispose();
});

test("a prompt's measures are the SAE codes and NFM parts of the hook's activations, read out per design", () => {
  const prompt = "The army fought the war with Mexico.";
  const ids = model.tokenizer.encode(prompt);
  const out = model.forward([ids], { hooks: [hook], logits: false });
  const x = out.hooks[hook]!.dataSync() as Float32Array;
  tf.dispose(Object.values(out.hooks));
  const f = sae.encode(x);
  const T = ids.length;
  const last = measurePrompt(models, "a1b1", prompt, "last");
  const mean = measurePrompt(models, "a1b1", prompt, "mean");
  const max = measurePrompt(models, "a1b1", prompt, "max");
  assert.equal(last.tokens, T);
  let checked = 0;
  for (let i = 0; i < 1024; i++) {
    const column = Array.from({ length: T }, (_, t) => f[t * 1024 + i]!);
    assert.ok(Math.abs(last.features[i]! - column[T - 1]!) < 1e-4);
    assert.ok(Math.abs(max.features[i]! - Math.max(...column)) < 1e-4);
    assert.ok(Math.abs(mean.features[i]! - column.reduce((s, v) => s + v, 0) / T) < 1e-4);
    if (column.some((v) => v > 0)) checked++;
  }
  assert.ok(checked > 10, `${checked} features fire on the prompt`);
  const xHat = sae.decode(f.subarray((T - 1) * 1024));
  let r2 = 0;
  for (let c = 0; c < 256; c++) r2 += (x[(T - 1) * 256 + c]! - xHat[c]!) ** 2;
  assert.ok(Math.abs(last.residualNorm - Math.sqrt(r2)) < 1e-3 * Math.sqrt(r2));
  const parts = nfm.predictParts(f.subarray((T - 1) * 1024), null, 1);
  const norm = (v: Float32Array) => Math.hypot(...v);
  assert.ok(Math.abs(last.interactionNorm - norm(parts.interaction!)) < 1e-4 * norm(parts.interaction!) + 1e-6);
  assert.ok(Math.abs(last.linearNorm - norm(parts.linear!)) < 1e-4 * norm(parts.linear!) + 1e-6);
  assert.equal(last.kDims.length, 8);
  const span = measurePrompt(models, "a1b1", "The army fought the war with [[Mexico]].", "last");
  const from = model.tokenizer.encode("The army fought the war with").length;
  const through = model.tokenizer.encode("The army fought the war with Mexico").length;
  assert.deepEqual(
    span.positions,
    Array.from({ length: through - from }, (_, i) => from + i),
  );
  const mexico = through - 1;
  for (let i = 0; i < 1024; i++) assert.ok(Math.abs(span.features[i]! - f[mexico * 1024 + i]!) < 1e-4);
});

test("prompts over the context and targets out of range are refused naming the field", () => {
  const design = demoDesign();
  design.prompts.a0b1[3] = "war ".repeat(200);
  assert.throws(
    () => checkDesign(models, design, "interaction_norm"),
    (e: unknown) =>
      e instanceof DesignError &&
      e.field === "prompts.a0b1[3]" &&
      /more than the study's context of 128/.test(e.message),
  );
  const targets = { ...demoDesign(), targets: [5, 1024] };
  assert.throws(() => checkDesign(models, targets, "interaction_norm"), /targets\[1\]: feature 1024 is out of range/);
  assert.throws(() => checkDesign(models, demoDesign(), "k_dim:8"), /k_dim:8 is out of range/);
  assert.throws(() => checkDesign(models, demoDesign(), "norm"), /unknown measure "norm"/);
});

test("the demo design runs end to end into the pinned JSON", async () => {
  const fractions: number[] = [];
  const result = await runStimulusAnalysis(models, demoDesign(), {
    measure: "residual_norm",
    anovaType: 3,
    permutations: 2000,
    resamples: 1000,
    topN: 4,
    onProgress: (f) => fractions.push(f),
  });
  assert.equal(fractions.at(-1), 1);
  const json = stimulusResultJson(result);
  assert.deepEqual(Object.keys(json), ["measure", "anova_type", "values", "cells", "anova", "contrast", "discovered"]);
  assert.equal(json.measure, "residual_norm");
  assert.equal(json.anova_type, 3);
  assert.equal(json.values.length, 24);
  assert.deepEqual(Object.keys(json.values[0]!), ["cell", "prompt", "value"]);
  assert.deepEqual(
    json.cells.map((c) => [c.cell, c.n]),
    [
      ["a0b0", 6],
      ["a0b1", 6],
      ["a1b0", 6],
      ["a1b1", 6],
    ],
  );
  const means = json.cells.map((c) => c.mean!);
  assert.ok(Math.abs(json.contrast.value! - (means[3]! - means[2]! - means[1]! + means[0]!)) < 1e-9);
  assert.ok(json.contrast.ci95[0]! <= json.contrast.value! && json.contrast.value! <= json.contrast.ci95[1]!);
  assert.ok(json.contrast.p_permutation! > 0 && json.contrast.p_permutation! <= 1);
  assert.deepEqual(Object.keys(json.anova.ab), ["F", "p", "partial_eta2"]);
  assert.ok(json.discovered.length > 0 && json.discovered.length <= 12);
  const constant = new Set(result.discovery.constantFeatures);
  assert.ok(constant.size > 0, "some SAE features never fire on these prompts");
  for (const e of json.discovered) {
    assert.ok(!(e.kind === "feature" && constant.has(e.index)));
    assert.ok(e.q! >= e.p!);
  }
  assert.ok(result.pairs.every((p) => p.a !== p.b));
  assert.ok(result.chart.some((c) => c.measure === "interaction_norm"));
});
