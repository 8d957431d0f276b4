import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Sae } from "../sae/sae.js";
import { createRng, normalArray } from "../stats/rng.js";
import { residualData, residualDataFromSae, residualDataSparse, topNFeatures } from "./residual-data.js";

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

test("a target shift makes every read of r the nonlinear error r − (x·A + c), for the rows it is paired with", () => {
  const rng = createRng(11);
  const n = 40;
  const d = 5;
  const dSae = 4;
  const f = Float32Array.from(normalArray(n * dSae, rng), (v) => Math.max(0, v));
  const x = Float32Array.from(normalArray(n * d, rng));
  const r = Float32Array.from(normalArray(n * d, rng));
  const shift = {
    weights: Float32Array.from(normalArray(d * d, rng)),
    intercept: Float32Array.from(normalArray(d, rng)),
  };
  const plain = residualData(f, x, r, dSae, d);
  const shifted = residualDataSparse(plain.parts.f, x, r, dSae, d, shift);
  const expected = (row: number, j: number) => {
    let y = shift.intercept[j]!;
    for (let i = 0; i < d; i++) y += x[row * d + i]! * shift.weights[i * d + j]!;
    return r[row * d + j]! - y;
  };
  const rows = [7, 0, 39, 12];
  const targets = [3, 3, 20, 39];
  const read = shifted.rowsOf("r", rows);
  const batch = shifted.sparseBatch(rows, targets);
  for (const [k, row] of rows.entries()) {
    for (let j = 0; j < d; j++) {
      assert.ok(Math.abs(read[k * d + j]! - expected(row, j)) < 1e-5);
      assert.ok(Math.abs(batch.r[k * d + j]! - expected(targets[k]!, j)) < 1e-5);
    }
  }
  assert.deepEqual(Array.from(shifted.rowsOf("x", rows)), Array.from(plain.rowsOf("x", rows)));
  assert.deepEqual(Array.from(plain.rowsOf("r", [7])), Array.from(r.subarray(7 * d, 8 * d)));
  assert.equal(shifted.parts.r, r, "the stored residual is not replaced");
  assert.throws(
    () =>
      residualDataSparse(plain.parts.f, x, r, dSae, d, { weights: new Float32Array(d), intercept: shift.intercept }),
    /target shift has 5 weights and 5 intercepts; expected 5×5 and 5/,
  );
});
