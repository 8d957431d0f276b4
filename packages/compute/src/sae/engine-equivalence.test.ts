import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { arrayRowSource } from "./row-source.js";
import { syntheticSparseRows } from "./synthetic.js";
import { trainSae } from "./train.js";

await tf.setBackend("wasm");

/** ‖W₁ − W₂‖_F / ‖W₁‖_F. */
function relativeFrobenius(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += a[i]! ** 2;
  }
  return Math.sqrt(diff / norm);
}

test("50 SAE steps on the same rows give the same weights whether the encoder product runs on wasm or onnxruntime", async (t) => {
  const d = 32;
  const { data } = syntheticSparseRows({ rows: 4000, d, features: 96, activePerRow: 4, seed: 21 });
  for (const architecture of ["standard", "topk"]) {
    const options = { architecture, dSae: 128, k: 8, steps: 50, batchSize: 256, seed: 5 };
    // Each pool's workers start the engine named here, and preActivations runs on that engine's products.
    const onWasm = await trainSae(arrayRowSource(data, d, 1), { ...options, workers: { count: 2, backend: "wasm" } });
    const onOrt = await trainSae(arrayRowSource(data, d, 1), {
      ...options,
      workers: { count: 2, backend: "onnxruntime" },
    });
    assert.equal(onWasm.stopReason, "completed");
    assert.equal(onOrt.stopReason, "completed");
    for (const name of ["W_enc", "W_dec"] as const) {
      const rel = relativeFrobenius(onWasm.sae.weights[name], onOrt.sae.weights[name]);
      t.diagnostic(`${architecture} ${name}: relative Frobenius difference ${rel.toExponential(2)}`);
      assert.ok(rel <= 1e-4, `${architecture} ${name}: ‖W₁ − W₂‖_F / ‖W₁‖_F = ${rel}`);
      assert.ok(rel > 0, `${architecture} ${name}: Δ = 0, so the onnxruntime product did not run`);
    }
    onWasm.sae.dispose();
    onOrt.sae.dispose();
  }
});
