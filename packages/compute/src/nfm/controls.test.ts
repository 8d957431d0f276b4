import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { runInteractionStudy } from "./controls.js";
import { syntheticResidualData } from "./synthetic.js";

await tf.setBackend("wasm");

const trainRows = Int32Array.from({ length: 3000 }, (_, i) => i);
const heldOutRows = Int32Array.from({ length: 800 }, (_, i) => 3000 + i);
const common = {
  trainRows,
  heldOutRows,
  seeds: [0, 1],
  nfm: { k: 4, steps: 400, batchSize: 256, lr: 3e-3 },
  bootstrap: { resamples: 300 },
};

test("every control runs; planted interactions beat all controls", async () => {
  // Many features and a small K: the matched MLP gets few hidden units and cannot mimic the factorised pairs.
  const data = syntheticResidualData({ rows: 3800, dSae: 128, dIn: 12, activePerRow: 5, linear: 0.5, seed: 4 });
  const before = tf.memory().numTensors;
  const stages: string[] = [];
  const result = await runInteractionStudy(data, {
    ...common,
    residualSae: { dSae: 32, l1: 1, steps: 100, batchSize: 256 },
    onProgress: (p) => stages.push(p.model),
  });
  for (const r of [...Object.values(result.nfm), ...Object.values(result.controls)]) {
    assert.ok(r && Number.isFinite(r.er) && r.ci95[0] <= r.er && r.er <= r.ci95[1], JSON.stringify(r));
    assert.equal(r!.seeds.length, 2);
  }
  assert.equal(result.controls.residual_sae!.by_l1.length, 3);
  assert.ok(stages.includes("permutation_null"));
  assert.ok(result.interaction_gain.ci95[0] > 0, JSON.stringify(result.interaction_gain));
  assert.equal(result.verdict.beats_all_controls, true, result.verdict.sentence);
  const mlp = result.controls.mlp_matched.parameters;
  const interactionPath = result.nfm.interaction_only.parameters;
  assert.ok(Math.abs(mlp - interactionPath) / interactionPath < 0.1, `${mlp} vs ${interactionPath}`);
  result.fullModel.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("without planted interactions the verdict is negative", async () => {
  const data = syntheticResidualData({ rows: 3800, dSae: 32, dIn: 12, activePerRow: 5, interaction: 0, seed: 5 });
  const result = await runInteractionStudy(data, { ...common, seeds: [0], residualSae: null });
  assert.equal(result.controls.residual_sae, null);
  assert.equal(result.verdict.beats_all_controls, false, result.verdict.sentence);
  assert.match(result.verdict.sentence, /no evidence/);
  result.fullModel.dispose();
});
