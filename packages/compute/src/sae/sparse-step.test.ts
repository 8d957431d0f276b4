import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, normalArray } from "../stats/rng.js";
import { positiveEntries } from "./sparse-code.js";
import { maxSparseEntries, SPARSE_MAX_DENSITY, useSparse } from "./sparse-step.js";
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
  assert.equal(maxSparseEntries("auto", 1000), Math.floor(SPARSE_MAX_DENSITY * 1000));
  assert.equal(maxSparseEntries("sparse", 1000), Number.POSITIVE_INFINITY);
});

test("positiveEntries lists each row's positive entries in latent order, or gives up past the limit", () => {
  const rows = 300;
  const width = 40;
  const dense = normalArray(rows * width, createRng(9));
  const code = positiveEntries(dense, rows, width)!;
  let at = 0;
  for (let b = 0; b < rows; b++) {
    assert.equal(code.rowStart[b], at);
    for (let j = 0; j < width; j++) {
      if (dense[b * width + j]! > 0) {
        assert.equal(code.cols[at], j);
        assert.equal(code.vals[at++], dense[b * width + j]);
      }
    }
  }
  assert.equal(code.rowStart[rows], at);
  assert.equal(code.cols.length, at);
  assert.equal(positiveEntries(dense, rows, width, at - 1), null);
  assert.equal(positiveEntries(dense, rows, width, at)?.cols.length, at);
});

test("a run on sparse products follows the dense run: ‖W₁ − W₂‖_F / ‖W₁‖_F ≤ 1e-4 after 50 steps", async () => {
  const d = 32;
  const { data } = syntheticSparseRows({ rows: 4000, d, features: 96, activePerRow: 4, seed: 5 });
  for (const architecture of ["standard", "topk"]) {
    const options = { architecture, dSae: 256, k: 4, l1: 10, steps: 50, batchSize: 64, seed: 2, deadWindowSteps: 2 };
    let auxSteps = 0;
    const dense = await trainSae(
      { data, d },
      { ...options, products: "dense", onProgress: (p) => p.aux > 0 && auxSteps++ },
    );
    const sparse = await trainSae({ data, d }, { ...options, products: "sparse" });
    // auto: dense while the code is dense (standard: density ≈ 0.5 at first, below 0.25 from about step 14 on).
    const auto = await trainSae({ data, d }, { ...options, products: "auto" });
    for (const other of [sparse, auto]) {
      for (const name of ["W_enc", "W_dec", "b_enc", "b_dec"] as const) {
        const gap = relativeFrobenius(dense.sae.weights[name], other.sae.weights[name]);
        assert.ok(gap <= 1e-4, `${architecture} ${name}: ‖W₁ − W₂‖_F / ‖W₁‖_F = ${gap}`);
      }
    }
    auto.sae.dispose();
    assert.ok(Math.abs(dense.last!.mse - sparse.last!.mse) <= 1e-4 * dense.last!.mse, `${architecture} mse`);
    if (architecture === "topk") assert.ok(auxSteps > 0, "the aux-k loss ran");
    dense.sae.dispose();
    sparse.sae.dispose();
  }
});
