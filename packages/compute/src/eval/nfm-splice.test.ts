import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { ResidualModel } from "../nfm/model.js";
import { residualDataFromSae } from "../nfm/residual-data.js";
import { trainNfm } from "../nfm/train.js";
import type { Sae } from "../sae/sae.js";
import { loadFixturePair } from "../testing/fixture-pair.js";
import { ceLossScore } from "./ce-loss.js";
import { nfmSpliceMetrics, saeNfmSpliceHook } from "./nfm-splice.js";

const hook = "blocks.3.hook_resid_post";
let model: TransformerModel;
let sae: Sae;
let windows: number[][];
let nfm: ResidualModel;

before(async () => {
  ({ model, sae, windows } = await loadFixturePair(4, 64));
  const { hooks } = model.forward(windows, { hooks: [hook], logits: false });
  const x = hooks[hook]!.dataSync() as Float32Array;
  tf.dispose(Object.values(hooks));
  const data = residualDataFromSae(sae, x);
  const trained = await trainNfm(data, { k: 8, steps: 200, batchSize: 256, seed: 0, variant: "full" });
  nfm = trained.model;
});
after(() => {
  model.dispose();
  sae.dispose();
  nfm.dispose();
});

test("the SAE + NFM splice hook returns SAE(x) + ŷ(f) and leaks no tensor", () => {
  const before = tf.memory().numTensors;
  const x = tf.randomNormal([2, 3, 256], 0, 5, "float32", 1) as tf.Tensor3D;
  const out = saeNfmSpliceHook(sae, nfm, false)(x);
  const { f, xHat } = sae.reconstruct(x.dataSync() as Float32Array);
  const expected = nfm.predict(f, null, 6).map((v, i) => v + xHat[i]!);
  const got = out.dataSync();
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-4, `element ${i}`);
  tf.dispose([x, out]);
  assert.equal(tf.memory().numTensors, before);
});

test("splicing in an NFM fitted to these windows' SAE error lowers the CE the SAE loses", () => {
  const m = nfmSpliceMetrics(model, sae, nfm, windows, { hook, needsX: false, batchSize: 2 });
  const reference = ceLossScore(model, sae, windows, { batchSize: 2 });
  assert.ok(Math.abs(m.ce_loss_score_sae - reference.ce_loss_score) < 1e-9, "the SAE-only arm equals ceLossScore");
  assert.ok(m.ce_loss_with_sae_nfm < m.ce_loss_with_sae, JSON.stringify(m));
  assert.ok(m.ce_gap_recovered_by_nfm > 0, JSON.stringify(m));
  assert.ok(m.kl_div_with_sae_nfm < m.kl_div_with_sae, JSON.stringify(m));
});
