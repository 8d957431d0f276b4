import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng } from "../stats/rng.js";
import { biInteraction, biInteractionSparse } from "./bi-pooling.js";

await tf.setBackend("wasm");

/** The definition: Σ_{i<j} fᵢfⱼ (vᵢ ∘ vⱼ), computed pair by pair in float64. */
function pairwiseDefinition(f: Float32Array, v: Float32Array, rows: number, m: number, k: number): Float64Array {
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const w = f[r * m + i]! * f[r * m + j]!;
        if (w === 0) continue;
        for (let c = 0; c < k; c++) out[r * k + c]! += w * v[i * k + c]! * v[j * k + c]!;
      }
    }
  }
  return out;
}

test("BI pooling equals the dense pairwise formula on random sparse data (≤ 1e-5)", () => {
  const rng = createRng(5);
  const rows = 16;
  const m = 40;
  const k = 6;
  const f = Float32Array.from({ length: rows * m }, () => (rng.next() < 0.2 ? rng.next() * 2 : 0));
  const v = Float32Array.from({ length: m * k }, () => rng.normal() * 0.3);
  const expected = pairwiseDefinition(f, v, rows, m, k);
  const ours = tf.tidy(() => biInteraction(tf.tensor2d(f, [rows, m]), tf.tensor2d(v, [m, k])).dataSync());
  const sparse = biInteractionSparse(f, v, m, k);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(ours[i]! - expected[i]!) <= 1e-5, `tensor BI at ${i}: ${ours[i]} vs ${expected[i]}`);
    assert.ok(Math.abs(sparse[i]! - expected[i]!) <= 1e-5, `sparse BI at ${i}: ${sparse[i]} vs ${expected[i]}`);
  }
});

test("a row with one active feature has no interaction", () => {
  const f = new Float32Array([0, 3, 0]);
  const v = new Float32Array([1, 2, 3, 4, 5, 6]);
  const out = tf.tidy(() => biInteraction(tf.tensor2d(f, [1, 3]), tf.tensor2d(v, [3, 2])).dataSync());
  assert.deepEqual(Array.from(out), [0, 0]);
});
