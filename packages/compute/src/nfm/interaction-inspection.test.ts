import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, normalArray } from "../stats/rng.js";
import { CoActivationIndex, embeddingOf, pairStrength } from "./inspect.js";
import { dimensionVarianceExplained, energyEffectiveRank, kDimensionStats, topByMagnitude } from "./k-dimensions.js";
import { ResidualModel, type ResidualModelConfig } from "./model.js";
import { pairContributionRows } from "./pair-contribution.js";
import { inspectPairs, interactionMass, interactionOutputNorms, storedPairCandidates } from "./pair-inspection.js";
import { pairSeeds, seedAgreement } from "./pair-replication.js";
import { residualData } from "./residual-data.js";

await tf.setBackend("wasm");

const dSae = 10;
const dIn = 4;
const k = 3;

function randomModel(hidden: number[], seed: number): ResidualModel {
  const config: ResidualModelConfig = { dSae, dIn, linear: "f", interaction: { k, hidden }, mlp: null };
  const model = new ResidualModel(config, { f: 1.3, x: 1, r: 0.7 }, createRng(seed), 0.5);
  const rng = createRng(seed + 1);
  tf.tidy(() => {
    for (const p of Object.values(model.params)) p.assign(tf.tensor(normalArray(p.size, rng, 0.5), p.shape));
  });
  return model;
}

function randomCodes(rows: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const f = new Float32Array(rows * dSae);
  for (let i = 0; i < f.length; i++) if (rng.next() < 0.4) f[i] = 0.1 + 2 * rng.next();
  return f;
}

const close = (a: number, b: number, tol = 1e-5) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("K-dimension statistics follow their definitions on a hand-made V", () => {
  // dimension 0 loads (3, -4, 0.02, 0) on features 0..3; dimension 1 only on feature 2.
  const v = Float32Array.from([3, 0, -4, 0, 0.02, 1, 0, 0]);
  const [d0, d1] = kDimensionStats({ v, dSae: 4, k: 2 }, 2);
  assert.equal(d0!.l0, 2); // 0.02 ≤ 1 % of 4
  close(d0!.l1, 7.02);
  close(d0!.l2, Math.sqrt(25.0004));
  close(d0!.max, 4);
  const p = [9, 16, 0.0004].map((x) => x / 25.0004);
  close(d0!.effectiveRank, Math.exp(-p.reduce((s, q) => s + q * Math.log(q), 0)));
  assert.deepEqual(d0!.topFeatures, [
    { feature: 1, loading: -4 },
    { feature: 0, loading: 3 },
  ]);
  assert.equal(d1!.l0, 1);
  close(d1!.effectiveRank, 1);
  close(d1!.gini, 0.75);
  assert.equal(energyEffectiveRank([1, -1, 1, -1]), 4);
  assert.deepEqual(topByMagnitude([1, -5, 5, 2], 3), [1, 2, 3]);
});

test("varianceExplained is the mean drop of ‖BI·P + c‖² with BI_k zeroed, for a linear head", () => {
  const model = randomModel([], 5);
  const rows = 30;
  const f = randomCodes(rows, 6);
  const got = dimensionVarianceExplained(model, f, rows);
  const bi = model.pooledValues(f, rows);
  const p = model.params["head0_W"]!.dataSync();
  const c = model.params["head0_b"]!.dataSync();
  const meanSquare = (zero: number) => {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < dIn; j++) {
        let y = c[j]!;
        for (let q = 0; q < k; q++) if (q !== zero) y += bi[r * k + q]! * p[q * dIn + j]!;
        total += (y / model.scales.r) ** 2;
      }
    }
    return total / rows;
  };
  const base = meanSquare(-1);
  for (let q = 0; q < k; q++) close(got[q]!, (base - meanSquare(q)) / base, 1e-4);
  model.dispose();
});

test("pair inspection: co-activation, lift, contribution as the one definition, share and top rows", () => {
  const model = randomModel([k], 7);
  const rows = 60;
  const f = randomCodes(rows, 8);
  const data = residualData(f, new Float32Array(rows * dIn), new Float32Array(rows * dIn), dSae, dIn);
  const heldOut = Int32Array.from({ length: 40 }, (_, i) => i + 20);
  const e = embeddingOf(model);
  const index = new CoActivationIndex(data, heldOut);
  const candidates = storedPairCandidates(e, index, 4);
  assert.ok(candidates.length >= 4 && candidates.every((p) => p.a < p.b));
  const outputNorms = interactionOutputNorms(model, data, heldOut, 7);
  const [pair] = inspectPairs(model, data, e, [candidates[0]!], { rows: heldOut, index, outputNorms, chunk: 9 });
  const { a, b } = candidates[0]!;
  const heldF = f.slice(20 * dSae);
  const perRow = pairContributionRows(model, heldF, 40, [{ a, b }]);
  const co = [...Array(40).keys()].filter((r) => heldF[r * dSae + a] !== 0 && heldF[r * dSae + b] !== 0);
  const na = [...Array(40).keys()].filter((r) => heldF[r * dSae + a] !== 0).length;
  const nb = [...Array(40).keys()].filter((r) => heldF[r * dSae + b] !== 0).length;
  assert.equal(pair!.coActivations, co.length);
  close(pair!.lift!, (co.length * 40) / (na * nb));
  close(pair!.strength, pairStrength(e, a, b));
  const mean = co.reduce((s, r) => s + perRow[r]!, 0) / co.length;
  close(pair!.contribution!, mean, 1e-4);
  assert.equal(pair!.contributionRows, co.length);
  const total = outputNorms.reduce((s, x) => s + x, 0);
  close(pair!.share!, (mean * co.length) / total, 1e-4);
  const best = co.reduce((x, y) => (perRow[y]! > perRow[x]! ? y : x));
  assert.equal(pair!.topRows[0]!.row, best + 20);
  model.dispose();
});

test("interaction mass is Σ_j≠i |⟨v_i, v_j⟩| in any block size", () => {
  const model = randomModel([k], 9);
  const e = embeddingOf(model);
  const mass = interactionMass(e, 3);
  for (let i = 0; i < dSae; i++) {
    let want = 0;
    for (let j = 0; j < dSae; j++) if (j !== i) want += Math.abs(pairStrength(e, i, j));
    close(mass[i]!, want, 1e-4);
  }
  model.dispose();
});

test("seed agreement: a rotated embedding replicates exactly, another seed's does not fully", () => {
  const model = randomModel([k], 11);
  const e = embeddingOf(model);
  // A rotation of the K space leaves every ⟨v_a, v_b⟩ unchanged.
  const [cos, sin] = [Math.cos(0.7), Math.sin(0.7)];
  const rotated = Float32Array.from(e.v);
  for (let i = 0; i < dSae; i++) {
    const x = e.v[i * k]!;
    const y = e.v[i * k + 1]!;
    rotated[i * k] = cos * x - sin * y;
    rotated[i * k + 1] = sin * x + cos * y;
  }
  const other = randomModel([k], 12);
  const agreement = seedAgreement([e, { ...e, v: rotated }, embeddingOf(other)], 10);
  close(agreement[0]!.spearman!, 1);
  close(agreement[1]!.spearman!, 1);
  assert.equal(agreement[1]!.overlap, 1);
  assert.ok(agreement[2]!.spearman! < 1);
  const rows = 30;
  const f = randomCodes(rows, 13);
  const data = residualData(f, new Float32Array(rows * dIn), new Float32Array(rows * dIn), dSae, dIn);
  const index = new CoActivationIndex(
    data,
    Int32Array.from({ length: rows }, (_, i) => i),
  );
  const supported = seedAgreement([e, { ...e, v: rotated }], 5, index);
  close(supported[1]!.spearman!, 1);
  assert.equal(supported[1]!.overlap, 1);
  const [p] = pairSeeds([e, { ...e, v: rotated }], [{ a: 0, b: 1 }], 45);
  assert.equal(p!.seeds, 2);
  close(p!.strengths[1]!, p!.strengths[0]!, 1e-4);
  model.dispose();
  other.dispose();
});
