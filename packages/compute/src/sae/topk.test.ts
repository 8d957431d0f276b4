import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, normalArray } from "../stats/rng.js";
import { evaluateSae } from "./evaluate.js";
import { splitRows } from "./row-source.js";
import { Sae } from "./sae.js";
import { topEntries } from "./sparse-code.js";
import { syntheticSparseRows } from "./synthetic.js";
import { AUX_COEFFICIENT, topkArchitecture } from "./topk.js";
import { trainSae } from "./train.js";
import type { SaeConfig } from "./types.js";

await tf.setBackend("wasm");

const cfg = (d: number, m: number, k: number): SaeConfig => ({
  architecture: "topk",
  d_in: d,
  d_sae: m,
  k,
  apply_b_dec_to_input: true,
  normalize_activations: "none",
  metadata: {},
});

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

test("topk encode keeps exactly the k largest positive pre-activations", () => {
  const rng = createRng(2);
  const c = cfg(6, 12, 3);
  const sae = new Sae(c, topkArchitecture.training!.initWeights(c, rng, { decoderInitNorm: 1 }));
  const x = normalArray(10 * 6, rng);
  const f = sae.encode(x);
  for (let r = 0; r < 10; r++) {
    const row = Array.from(f.subarray(r * 12, (r + 1) * 12));
    assert.ok(row.filter((v) => v > 0).length <= 3);
    assert.ok(row.every((v) => v >= 0));
  }
  sae.dispose();
});

test("dense and sparse topk + aux-k gradients equal autodiff with the masks held fixed (1e-5)", () => {
  const d = 8;
  const m = 20;
  const b = 6;
  const c = cfg(d, m, 3);
  const rng = createRng(4);
  const weights = topkArchitecture.training!.initWeights(c, rng, { decoderInitNorm: 1 });
  weights.b_enc = normalArray(m, rng, 0.1);
  weights.b_dec = normalArray(d, rng, 0.1);
  const x = tf.tensor2d(normalArray(b * d, rng), [b, d]);
  const dead = new Float32Array(m);
  for (let i = 0; i < m; i += 2) dead[i] = 1;
  const deadMask = tf.tensor1d(dead);
  const outputs = (["dense", "sparse"] as const).map((products) => {
    const trainer = topkArchitecture.training!.createTrainer({ cfg: c, weights, products });
    const result = trainer.step(x, { l1: 0, deadMask, deadCount: 10 });
    const p = trainer.params;
    const pre0 = tf.add(tf.matMul(tf.sub(x, p["b_dec"]!), p["W_enc"]!), p["b_enc"]!) as tf.Tensor2D;
    const kth = tf.topk(pre0, 3).values.slice([0, 2], [-1, 1]);
    const mask = tf.mul(tf.cast(tf.greaterEqual(pre0, kth), "float32"), tf.step(pre0));
    const deadPre = tf.where(tf.cast(deadMask, "bool"), pre0, tf.fill(pre0.shape, -1e30));
    const kAux = Math.min(d / 2, 10);
    const auxKth = tf.topk(deadPre, kAux).values.slice([0, kAux - 1], [-1, 1]);
    const auxMask = tf.mul(tf.cast(tf.greaterEqual(deadPre, auxKth), "float32"), deadMask);
    const e = tf.sub(x, tf.add(tf.matMul(tf.mul(pre0, mask), p["W_dec"]!), p["b_dec"]!));
    const loss = (W_enc: tf.Tensor, W_dec: tf.Tensor, b_enc: tf.Tensor, b_dec: tf.Tensor) => {
      const pre = tf.add(tf.matMul(tf.sub(x, b_dec), W_enc), b_enc);
      const xHat = tf.add(tf.matMul(tf.mul(pre, mask), W_dec), b_dec);
      const mse = tf.mean(tf.sum(tf.square(tf.sub(xHat, x)), 1));
      const auxRecon = tf.matMul(tf.mul(pre, auxMask), W_dec);
      const auxLoss = tf.mean(tf.sum(tf.square(tf.sub(auxRecon, e)), 1));
      return tf.add(mse, tf.mul(AUX_COEFFICIENT * Math.min(10 / kAux, 1), auxLoss)) as tf.Scalar;
    };
    const grads = tf.grads(loss)([p["W_enc"]!, p["W_dec"]!, p["b_enc"]!, p["b_dec"]!]);
    const wDec = p["W_dec"]!;
    const tangent = tf.sub(grads[1]!, tf.mul(tf.sum(tf.mul(grads[1]!, wDec), 1, true), wDec));
    const references = [grads[0]!, tangent, grads[2]!, grads[3]!];
    ["W_enc", "W_dec", "b_enc", "b_dec"].forEach((name, i) => {
      const diff = maxDiff(result.grads[name]!, references[i]!);
      assert.ok(diff < 1e-5, `${products} ${name}: max |diff| ${diff}`);
    });
    const stats = result.stats.dataSync();
    const refLoss = loss(p["W_enc"]!, wDec, p["b_enc"]!, p["b_dec"]!).dataSync()[0]!;
    assert.ok(Math.abs(stats[0]! + stats[1]! - refLoss) < 1e-5, `${products} loss`);
    assert.ok(stats[1]! > 0, "the aux-k term is exercised");
    const out = { grads: result.grads, stats: result.stats, firing: result.firing };
    trainer.dispose();
    return out;
  });
  const [dense, sparse] = outputs as [(typeof outputs)[0], (typeof outputs)[0]];
  for (const name of ["W_enc", "W_dec", "b_enc", "b_dec"]) {
    assert.ok(maxDiff(dense.grads[name]!, sparse.grads[name]!) < 1e-5, name);
  }
  assert.ok(maxDiff(dense.stats, sparse.stats) < 1e-5);
  assert.deepEqual(Array.from(sparse.firing.dataSync()), Array.from(dense.firing.dataSync()));
});

test("both paths select the same top-k under ties: larger value first, then the lower latent index", () => {
  const rows = 4;
  const m = 12;
  const values = Float32Array.from({ length: rows * m }, (_, i) => [2, 1, 2, 0, -1, 2, 1, 2][i % 8]!);
  const code = topEntries(values, rows, m, 3, { positiveOnly: true });
  const dense = tf.topk(tf.tensor2d(values, [rows, m]), 3).indices.arraySync();
  for (let r = 0; r < rows; r++) {
    const sparse = Array.from(code.cols.subarray(code.rowStart[r]!, code.rowStart[r + 1]!));
    assert.deepEqual(
      sparse,
      [...dense[r]!].sort((a, b) => a - b),
      `row ${r}`,
    );
  }
  assert.deepEqual(Array.from(code.cols.subarray(0, 3)), [0, 2, 5]);
  const negatives = topEntries(Float32Array.from([-3, 0.5, -1, -2]), 1, 4, 2, { positiveOnly: true });
  assert.deepEqual(Array.from(negatives.cols), [1]);
  const aux = topEntries(Float32Array.from([-3, 0.5, -1, -2]), 1, 4, 2, {
    candidates: Int32Array.from([0, 2, 3]),
    positiveOnly: false,
  });
  assert.deepEqual(Array.from(aux.cols), [2, 3]);
  assert.deepEqual(Array.from(aux.vals), [-1, -2]);
});

test("a topk SAE trained on synthetic sparse data reconstructs held-out rows (EV > 0.85) at L0 ≤ k", async () => {
  const d = 64;
  const { data } = syntheticSparseRows({ rows: 10000, d, features: 128, activePerRow: 4, seed: 3 });
  const { train, heldOut } = splitRows(data, d, 0.2, 1);
  const result = await trainSae(
    { data: train, d },
    { architecture: "topk", k: 8, dSae: 256, steps: 500, batchSize: 512, seed: 1, deadWindowSteps: 50 },
  );
  const metrics = evaluateSae(result.sae, heldOut);
  assert.ok(metrics.explained_variance > 0.85, `EV ${metrics.explained_variance}`);
  assert.ok(metrics.l0 <= 8 + 1e-9);
  result.sae.dispose();
});
