import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, normalArray } from "../stats/rng.js";
import { ResidualModel, type ResidualModelConfig } from "./model.js";
import { pairContributionRows } from "./pair-contribution.js";

await tf.setBackend("wasm");

const dSae = 12;
const dIn = 5;
const k = 4;

/** A model with random weights everywhere (the output layers are not zero as at initialisation). */
function randomModel(hidden: number[], seed: number): ResidualModel {
  const config: ResidualModelConfig = { dSae, dIn, linear: "f", interaction: { k, hidden }, mlp: null };
  const model = new ResidualModel(config, { f: 1.7, x: 1, r: 0.6 }, createRng(seed), 0.5);
  const rng = createRng(seed + 1);
  tf.tidy(() => {
    for (const p of Object.values(model.params)) p.assign(tf.tensor(normalArray(p.size, rng, 0.5), p.shape));
  });
  return model;
}

/** Sparse random codes: each feature active with probability ½, positive values. */
function randomCodes(rows: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const f = new Float32Array(rows * dSae);
  for (let i = 0; i < f.length; i++) if (rng.next() < 0.5) f[i] = 0.1 + 2 * rng.next();
  return f;
}

/** BI(f) by its definition Σ_{i<j} f_i f_j (v_i ⊙ v_j), leaving out the pair (a, b), in the model's scaled space. */
function bruteForcePooled(model: ResidualModel, f: Float32Array, row: number, skip: [number, number]): Float32Array {
  const v = model.embedding()!;
  const s = model.scales.f;
  const out = new Float32Array(k);
  for (let i = 0; i < dSae; i++) {
    for (let j = i + 1; j < dSae; j++) {
      if ((i === skip[0] && j === skip[1]) || (i === skip[1] && j === skip[0])) continue;
      const w = f[row * dSae + i]! * s * f[row * dSae + j]! * s;
      for (let c = 0; c < k; c++) out[c]! += w * v[i * k + c]! * v[j * k + c]!;
    }
  }
  return out;
}

test("with a linear head P, a pair's contribution is ‖f_a f_b (v_a ⊙ v_b) · P‖ exactly", () => {
  const model = randomModel([], 3);
  const rows = 40;
  const f = randomCodes(rows, 4);
  const pairs = [
    { a: 1, b: 7 },
    { a: 0, b: 11 },
  ];
  const got = pairContributionRows(model, f, rows, pairs);
  const v = model.embedding()!;
  const p = model.params["head0_W"]!.dataSync();
  const s = model.scales.f;
  let checked = 0;
  for (let r = 0; r < rows; r++) {
    pairs.forEach(({ a, b }, q) => {
      const w = f[r * dSae + a]! * s * f[r * dSae + b]! * s;
      let norm = 0;
      for (let o = 0; o < dIn; o++) {
        let y = 0;
        for (let c = 0; c < k; c++) y += w * v[a * k + c]! * v[b * k + c]! * p[c * dIn + o]!;
        norm += y * y;
      }
      const expected = Math.sqrt(norm) / model.scales.r;
      assert.ok(Math.abs(got[r * pairs.length + q]! - expected) <= 1e-5 * Math.max(1, expected), `row ${r} pair ${q}`);
      if (w !== 0) checked++;
    });
  }
  assert.ok(checked > 10, "enough co-active rows were checked");
  model.dispose();
});

test("with an MLP head, a pair's contribution equals a brute-force recomputation with the pair removed", () => {
  const model = randomModel([6, 3], 5);
  const rows = 30;
  const f = randomCodes(rows, 6);
  const pairs = [
    { a: 2, b: 9 },
    { a: 10, b: 4 },
  ];
  const got = pairContributionRows(model, f, rows, pairs);
  for (let r = 0; r < rows; r++) {
    pairs.forEach(({ a, b }, q) => {
      const bothActive = f[r * dSae + a] !== 0 && f[r * dSae + b] !== 0;
      let expected = 0;
      if (bothActive) {
        expected = tf.tidy(() => {
          const full = model.interactionFromPooled(tf.tensor2d(bruteForcePooled(model, f, r, [-1, -1]), [1, k]));
          const without = model.interactionFromPooled(tf.tensor2d(bruteForcePooled(model, f, r, [a, b]), [1, k]));
          return tf.norm(tf.sub(full, without)).dataSync()[0]! / model.scales.r;
        });
      }
      const value = got[r * pairs.length + q]!;
      assert.ok(
        Math.abs(value - expected) <= 1e-5 * Math.max(1, expected),
        `row ${r} pair ${q}: ${value} vs ${expected}`,
      );
    });
  }
  model.dispose();
});

test("bad pairs are refused with the index that is wrong", () => {
  const model = randomModel([], 7);
  const f = randomCodes(2, 8);
  assert.throws(() => pairContributionRows(model, f, 2, [{ a: 0, b: dSae }]), /feature 12 is not a feature index/);
  assert.throws(() => pairContributionRows(model, f, 2, [{ a: 3, b: 3 }]), /two distinct features/);
  assert.throws(() => pairContributionRows(model, f, 3, [{ a: 0, b: 1 }]), /3 rows of d_sae 12/);
  model.dispose();
});
