import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Sae } from "../sae/sae.js";
import { createRng, normalArray } from "../stats/rng.js";
import { residualData, residualDataFromSae, topNFeatures } from "./residual-data.js";

await tf.setBackend("wasm");

test("batches rebuild dense f, x and r rows; target indices pick other rows' r", () => {
  const f = new Float32Array([0, 2, 0, 1, 0, 0, 3, 0, 4]);
  const x = new Float32Array([1, 1, 2, 2, 3, 3]);
  const r = new Float32Array([10, 10, 20, 20, 30, 30]);
  const data = residualData(f, x, r, 3, 2);
  const b = data.batch([2, 0], [1, 2]);
  assert.deepEqual(Array.from(b.f), [3, 0, 4, 0, 2, 0]);
  assert.deepEqual(Array.from(b.x), [3, 3, 1, 1]);
  assert.deepEqual(Array.from(b.r), [20, 20, 30, 30]);
  assert.equal(data.activeCount(2), 2);
  assert.deepEqual(Array.from(data.activeFeatures(0).index), [1]);
});

test("residualDataFromSae stores f sparse and r = x − SAE(x) across chunks", () => {
  const rng = createRng(3);
  const d = 6;
  const m = 10;
  const sae = new Sae(
    {
      architecture: "standard",
      d_in: d,
      d_sae: m,
      apply_b_dec_to_input: true,
      normalize_activations: "none",
      metadata: {},
    },
    {
      W_enc: normalArray(d * m, rng),
      W_dec: normalArray(m * d, rng, 0.3),
      b_enc: normalArray(m, rng, 0.5),
      b_dec: normalArray(d, rng, 0.1),
    },
  );
  const x = normalArray(25 * d, rng);
  const data = residualDataFromSae(sae, x, 7);
  const all = Int32Array.from({ length: 25 }, (_, i) => i);
  const batch = data.batch(all);
  const { f, xHat } = sae.reconstruct(x);
  assert.deepEqual(batch.f, f);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(batch.r[i]! - (x[i]! - xHat[i]!)) < 1e-6);
  sae.dispose();
});

test("topNFeatures keeps each row's n largest activations", () => {
  const f = new Float32Array([0, 2, 5, 1, 3, 0, 0, 0, 0, 0, 4, 0]);
  const data = residualData(f, new Float32Array(6), new Float32Array(6), 4, 2);
  const cut = topNFeatures(data, 2);
  assert.deepEqual(Array.from(cut.batch([0, 1, 2]).f), [0, 2, 5, 0, 3, 0, 0, 0, 0, 0, 4, 0]);
  assert.throws(() => topNFeatures(data, 0), /positive integer/);
});
