import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import type { TransformerModel } from "../lm/transformer-model.js";
import type { Sae } from "../sae/sae.js";
import { loadFixturePair } from "../testing/fixture-pair.js";
import { ceLossScore } from "./ce-loss.js";

let model: TransformerModel;
let sae: Sae;
let windows: number[][];

before(async () => {
  // A document the model was not trained on (split.json), cut into four windows of 128 tokens.
  ({ model, sae, windows } = await loadFixturePair(4, 128));
  assert.equal(windows[3]!.length, 128);
  sae.weightTensors(); // the SAE keeps its weight tensors from first use on
});
after(() => {
  model.dispose();
  sae.dispose();
});

test("the fixture SAE keeps most of the model's loss: ce_loss_score clearly between 0 and 1", () => {
  const before = tf.memory().numTensors;
  const m = ceLossScore(model, sae, windows, { batchSize: 3 });
  assert.equal(tf.memory().numTensors, before, "no tensors leak");
  assert.equal(m.tokens, 4 * 127);
  assert.ok(m.ce_loss_without_sae < m.ce_loss_with_sae, JSON.stringify(m));
  assert.ok(m.ce_loss_with_sae < m.ce_loss_with_ablation, JSON.stringify(m));
  assert.ok(m.ce_loss_score > 0.5 && m.ce_loss_score < 0.99, `ce_loss_score ${m.ce_loss_score}`);
  assert.ok(m.kl_div_with_sae > 0 && m.kl_div_with_sae < m.kl_div_with_ablation, JSON.stringify(m));
  assert.ok(Math.abs(m.kl_div_score - (1 - m.kl_div_with_sae / m.kl_div_with_ablation)) < 1e-9);
});

test("the clean loss equals the mean next-token negative log-likelihood computed directly", () => {
  const m = ceLossScore(model, sae, windows.slice(0, 1));
  const { logits } = model.forward(windows.slice(0, 1));
  const logProbs = tf.tidy(() => tf.logSoftmax(logits!.reshape([128, -1])).arraySync() as number[][]);
  logits!.dispose();
  let nll = 0;
  for (let p = 0; p < 127; p++) nll -= logProbs[p]![windows[0]![p + 1]!]!;
  assert.ok(Math.abs(m.ce_loss_without_sae - nll / 127) < 1e-4);
});

test("windows of mixed length and an SAE of another width are errors naming the fix", () => {
  assert.throws(() => ceLossScore(model, sae, [windows[0]!, windows[1]!.slice(1)]), /windows of one length/);
  assert.throws(() => ceLossScore(model, sae, windows, { hook: "" }), /names no metadata.hook_name/);
});
