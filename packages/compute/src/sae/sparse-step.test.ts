import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { SPARSE_MAX_DENSITY, useSparse } from "./sparse-step.js";
import { syntheticSparseRows } from "./synthetic.js";
import { trainSae } from "./train.js";

await tf.setBackend("wasm");

function relativeFrobenius(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += a[i]! ** 2;
  }
  return Math.sqrt(diff / norm);
}

test("auto takes the sparse products at or below the measured crossover density only", () => {
  assert.equal(useSparse("auto", SPARSE_MAX_DENSITY), true);
  assert.equal(useSparse("auto", SPARSE_MAX_DENSITY * 1.01), false);
  assert.equal(useSparse("sparse", 1), true);
  assert.equal(useSparse("dense", 0), false);
});

test("a run on sparse products follows the dense run: ‖W₁ − W₂‖_F / ‖W₁‖_F ≤ 1e-4 after 50 steps", async () => {
  const d = 32;
  const { data } = syntheticSparseRows({ rows: 4000, d, features: 96, activePerRow: 4, seed: 5 });
  for (const architecture of ["standard", "topk"]) {
    const options = { architecture, dSae: 256, k: 4, steps: 50, batchSize: 64, seed: 2, deadWindowSteps: 2 };
    let auxSteps = 0;
    const dense = await trainSae(
      { data, d },
      { ...options, products: "dense", onProgress: (p) => p.aux > 0 && auxSteps++ },
    );
    const sparse = await trainSae({ data, d }, { ...options, products: "sparse" });
    for (const name of ["W_enc", "W_dec", "b_enc", "b_dec"] as const) {
      const gap = relativeFrobenius(dense.sae.weights[name], sparse.sae.weights[name]);
      assert.ok(gap <= 1e-4, `${architecture} ${name}: ‖W₁ − W₂‖_F / ‖W₁‖_F = ${gap}`);
    }
    assert.ok(Math.abs(dense.last!.mse - sparse.last!.mse) <= 1e-4 * dense.last!.mse, `${architecture} mse`);
    if (architecture === "topk") assert.ok(auxSteps > 0, "the aux-k loss ran");
    dense.sae.dispose();
    sparse.sae.dispose();
  }
});
