import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { arrayRowSource } from "./row-source.js";
import { syntheticSparseRows } from "./synthetic.js";
import { trainSae } from "./train.js";

await tf.setBackend("wasm");

test("two data-parallel workers follow the single-thread trajectory (same full-batch gradient)", async () => {
  const d = 16;
  const { data } = syntheticSparseRows({ rows: 1000, d, features: 24, activePerRow: 3, seed: 8 });
  for (const architecture of ["standard", "topk"]) {
    const options = { architecture, dSae: 32, k: 4, steps: 15, batchSize: 100, seed: 3, deadWindowSteps: 4 };
    const single = await trainSae(arrayRowSource(data, d, 1), options);
    const parallel = await trainSae(arrayRowSource(data, d, 1), { ...options, workers: { count: 2, backend: "wasm" } });
    assert.equal(parallel.stopReason, "completed");
    let maxDiff = 0;
    let maxAbs = 0;
    for (const name of ["W_enc", "W_dec", "b_enc", "b_dec"] as const) {
      const a = single.sae.weights[name];
      const b = parallel.sae.weights[name];
      for (let i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
        maxAbs = Math.max(maxAbs, Math.abs(a[i]!));
      }
    }
    assert.ok(maxDiff < 1e-3 * maxAbs, `${architecture}: max |Δw| ${maxDiff} of max |w| ${maxAbs}`);
    assert.ok(Math.abs(single.last!.mse - parallel.last!.mse) < 1e-3 * single.last!.mse);
    single.sae.dispose();
    parallel.sae.dispose();
  }
});
