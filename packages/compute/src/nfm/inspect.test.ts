import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { embeddingStats, symmetricEigenvalues, vectorStats } from "./embedding-stats.js";
import {
  CoActivationIndex,
  contributions,
  type Embedding,
  embeddingOf,
  pairStrength,
  topDimensionsOfFeature,
  topPairs,
  topPartners,
} from "./inspect.js";
import { pairAblationEffect } from "./pair-contribution.js";
import { residualData } from "./residual-data.js";
import { syntheticResidualData } from "./synthetic.js";
import { trainNfm } from "./train.js";

await tf.setBackend("wasm");

// 5 features, K = 3. Features 0 and 3 share dimension 1 strongly; 2 and 4 are anti-aligned on dimension 2.
const e: Embedding = {
  dSae: 5,
  k: 3,
  v: new Float32Array([0.1, 2, 0, 0.5, 0, 0, 0, 0, 1.5, 0, 1.8, 0.1, 0, 0.1, -1.2]),
};

test("pair strength is the inner product of embedding rows", () => {
  assert.ok(Math.abs(pairStrength(e, 0, 3) - 3.6) < 1e-6);
  assert.ok(Math.abs(pairStrength(e, 2, 4) + 1.8) < 1e-6);
  assert.throws(() => pairStrength(e, 0, 5), /not a feature index; use 0..4/);
});

test("top pairs rank by |strength|; pairs never co-active are flagged unsupported", () => {
  // Rows: features {0,3} together twice, {2,4} never together.
  const f = new Float32Array([1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  const data = residualData(f, new Float32Array(8), new Float32Array(8), 5, 2);
  const index = new CoActivationIndex(data, [0, 1, 2, 3]);
  const pairs = topPairs(e, { count: 2, coActivation: index });
  assert.deepEqual(
    pairs.map((p) => [p.a, p.b, p.coActivations, p.supported]),
    [
      [0, 3, 2, true],
      [2, 4, 0, false],
    ],
  );
  const supported = topPairs(e, { count: 2, coActivation: index, supportedOnly: true });
  assert.deepEqual(
    supported.map((p) => [p.a, p.b]),
    [[0, 3]],
  );
  assert.deepEqual(
    topPairs(e, { count: 1, features: [1, 2, 4] }).map((p) => [p.a, p.b]),
    [[2, 4]],
  );
});

test("top partners of a feature and its top K-dimensions with the features loading on them", () => {
  assert.deepEqual(
    topPartners(e, 3, { count: 2 }).map((p) => p.b),
    [0, 2],
  );
  const dims = topDimensionsOfFeature(e, 0, { dims: 1, loaders: 2 });
  assert.equal(dims[0]!.dim, 1);
  assert.deepEqual(
    dims[0]!.loaders.map((l) => l.feature),
    [3, 4],
  );
});

test("vector statistics: L0, L1, L2, max, Gini and effective count", () => {
  const even = vectorStats([1, 1, 1, 1]);
  assert.equal(even.gini, 0);
  assert.ok(Math.abs(even.effectiveCount - 4) < 1e-9);
  const spike = vectorStats([0, 0, 0, 2]);
  assert.deepEqual([spike.l0, spike.l1, spike.l2, spike.max], [1, 2, 2, 2]);
  assert.ok(Math.abs(spike.gini - 0.75) < 1e-9);
  assert.ok(Math.abs(spike.effectiveCount - 1) < 1e-9);
});

test("Jacobi eigenvalues and the effective rank of V", () => {
  const eig = symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2);
  assert.ok(Math.abs(eig[0]! - 3) < 1e-9 && Math.abs(eig[1]! - 1) < 1e-9);
  const rankOne = embeddingStats(new Float32Array([1, 2, 2, 4, 3, 6]), 3, 2);
  assert.ok(Math.abs(rankOne.effectiveRank - 1) < 1e-6);
  const identity = embeddingStats(new Float32Array([1, 0, 0, 1]), 2, 2);
  assert.ok(Math.abs(identity.effectiveRank - 2) < 1e-6);
  assert.equal(identity.features.length, 2);
  assert.equal(identity.dims.length, 2);
});

test("on a trained NFM: the ablation effect is positive for a co-active pair and contributions split ER", async () => {
  const data = syntheticResidualData({ rows: 3000, dSae: 24, dIn: 8, activePerRow: 4, seed: 9 });
  const train = Int32Array.from({ length: 2500 }, (_, i) => i);
  const held = Int32Array.from({ length: 500 }, (_, i) => 2500 + i);
  const { model } = await trainNfm(data, { trainRows: train, steps: 300, batchSize: 256, lr: 3e-3, k: 4 });
  const index = new CoActivationIndex(data, held);
  const [pair] = topPairs(embeddingOf(model), { count: 1, coActivation: index, supportedOnly: true });
  const effect = pairAblationEffect(model, data, held, pair!.a, pair!.b, index);
  assert.equal(effect.rows, pair!.coActivations);
  assert.ok(effect.meanNorm > 0);
  const c = contributions(model, data, held);
  assert.equal(c.linearNorm.length, held.length);
  assert.ok(c.er.full > c.er.linearOnly && c.er.full > c.er.interactionOnly, JSON.stringify(c.er));
  model.dispose();
});
