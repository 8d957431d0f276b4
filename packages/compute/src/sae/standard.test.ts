import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, normalArray } from "../stats/rng.js";
import { evaluateSae } from "./evaluate.js";
import { splitRows } from "./row-source.js";
import { standardArchitecture } from "./standard.js";
import { syntheticSparseRows } from "./synthetic.js";
import { trainSae } from "./train.js";
import type { SaeConfig } from "./types.js";

await tf.setBackend("wasm");

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const cfg = (d: number, m: number): SaeConfig => ({
  architecture: "standard",
  d_in: d,
  d_sae: m,
  apply_b_dec_to_input: true,
  normalize_activations: "none",
  metadata: {},
});

test("dense and sparse products give the gradients of tfjs autodiff of the SAELens standard loss (1e-5)", () => {
  const d = 8;
  const m = 16;
  const b = 5;
  const l1 = 0.3;
  const rng = createRng(1);
  const weights = standardArchitecture.training!.initWeights(cfg(d, m), rng, { decoderInitNorm: 0.5 });
  weights.b_enc = normalArray(m, rng, 0.1);
  weights.b_dec = normalArray(d, rng, 0.1);
  const x = tf.tensor2d(normalArray(b * d, rng), [b, d]);
  const names = ["W_enc", "W_dec", "b_enc", "b_dec"];
  const loss = (W_enc: tf.Tensor, W_dec: tf.Tensor, b_enc: tf.Tensor, b_dec: tf.Tensor) => {
    const f = tf.relu(tf.add(tf.matMul(tf.sub(x, b_dec), W_enc), b_enc));
    const xHat = tf.add(tf.matMul(f, W_dec), b_dec);
    const mse = tf.mean(tf.sum(tf.square(tf.sub(xHat, x)), 1));
    const sparsity = tf.mean(tf.sum(tf.mul(f, tf.norm(W_dec, 2, 1)), 1));
    return tf.add(mse, tf.mul(l1, sparsity)) as tf.Scalar;
  };
  const results = (["dense", "sparse"] as const).map((products) => {
    const trainer = standardArchitecture.training!.createTrainer({ cfg: cfg(d, m), weights, products });
    const result = trainer.step(x, { l1 });
    const p = trainer.params;
    const grads = tf.grads(loss)([p["W_enc"]!, p["W_dec"]!, p["b_enc"]!, p["b_dec"]!]);
    names.forEach((name, i) => {
      const diff = maxAbsDiff(result.grads[name]!.dataSync(), grads[i]!.dataSync());
      assert.ok(diff < 1e-5, `${products} ${name}: max |diff| ${diff}`);
    });
    const stats = result.stats.dataSync();
    const refLoss = loss(p["W_enc"]!, p["W_dec"]!, p["b_enc"]!, p["b_dec"]!).dataSync()[0]!;
    assert.ok(Math.abs(stats[0]! + stats[1]! - refLoss) < 1e-5, `${products} loss`);
    trainer.dispose();
    return { grads: names.map((n) => result.grads[n]!.dataSync()), stats, firing: result.firing.dataSync() };
  });
  const [dense, sparse] = results as [(typeof results)[0], (typeof results)[0]];
  names.forEach((name, i) => {
    assert.ok(maxAbsDiff(dense.grads[i]!, sparse.grads[i]!) < 1e-5, name);
  });
  assert.ok(maxAbsDiff(dense.stats, sparse.stats) < 1e-5);
  assert.deepEqual(Array.from(sparse.firing), Array.from(dense.firing));
  const l0 = dense.stats[2]!;
  assert.ok(l0 > 1 && l0 < m - 1, `the batch mixes active and inactive latents (L0 ${l0})`);
});

test("training keeps tf.memory().numTensors flat across steps", async () => {
  const { data } = syntheticSparseRows({ rows: 512, d: 16, features: 32, activePerRow: 3, seed: 2 });
  const counts: number[] = [];
  await trainSae(
    { data, d: 16 },
    { dSae: 32, steps: 30, batchSize: 64, onProgress: (p) => p.step > 2 && counts.push(tf.memory().numTensors) },
  ).then((r) => r.sae.dispose());
  assert.ok(counts.length > 20);
  assert.equal(Math.max(...counts), Math.min(...counts));
});

test("a standard SAE trained on synthetic sparse data recovers it (held-out EV > 0.9, few dead)", async () => {
  const d = 64;
  const { data } = syntheticSparseRows({ rows: 12000, d, features: 128, activePerRow: 4, seed: 3 });
  const { train, heldOut } = splitRows(data, d, 0.2, 1);
  const before = tf.memory().numTensors;
  const result = await trainSae({ data: train, d }, { dSae: 256, steps: 600, batchSize: 512, l1: 0.5, seed: 1 });
  const metrics = evaluateSae(result.sae, heldOut);
  assert.equal(result.stopReason, "completed");
  assert.ok(metrics.explained_variance > 0.9, JSON.stringify({ ...metrics, feature_density: undefined }));
  assert.ok(metrics.l0 < 40, `l0 ${metrics.l0}`);
  result.sae.dispose();
  assert.equal(tf.memory().numTensors, before);
});
