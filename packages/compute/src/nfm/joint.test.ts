import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Sae } from "../sae/sae.js";
import { trainSae } from "../sae/train.js";
import type { SaeConfig } from "../sae/types.js";
import { errorReductionGainCi, errorReductionOf } from "../stats/bootstrap.js";
import { createRng, normalArray } from "../stats/rng.js";
import { runJointStudy } from "../study/interaction/joint-study.js";
import { biInteraction, biInteractionSparse } from "./bi-pooling.js";
import { jointFineTune, jointRowErrors } from "./joint.js";
import { ResidualModel } from "./model.js";
import { residualDataFromSae } from "./residual-data.js";
import { trainNfm } from "./train.js";

await tf.setBackend("wasm");

const D = 16;
const D_SAE = 32;
const L1 = 1;

/** Rows x = a·D + BI(a; V*)·P + noise: sparse codes a over a unit dictionary plus a planted pairwise term. */
function plantedInteractionRows(rows: number, seed: number): Float32Array {
  const features = 24;
  const active = 3;
  const k = 4;
  const rng = createRng(seed);
  const dictionary = normalArray(features * D, rng);
  for (let i = 0; i < features; i++) {
    const row = dictionary.subarray(i * D, (i + 1) * D);
    const norm = Math.hypot(...row);
    for (let j = 0; j < D; j++) row[j]! /= norm;
  }
  const a = new Float32Array(rows * features);
  for (let r = 0; r < rows; r++) {
    const chosen = new Set<number>();
    while (chosen.size < active) chosen.add(rng.int(features));
    for (const i of chosen) a[r * features + i] = 0.5 + rng.next();
  }
  const v = normalArray(features * k, rng);
  const p = normalArray(k * D, rng, 0.5 / Math.sqrt(k * active));
  const bi = biInteractionSparse(a, v, features, k);
  const x = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < D; j++) {
      let value = 0.02 * rng.normal();
      for (let i = 0; i < features; i++) value += a[r * features + i]! * dictionary[i * D + j]!;
      for (let c = 0; c < k; c++) value += bi[r * k + c]! * p[c * D + j]!;
      x[r * D + j] = value;
    }
  }
  return x;
}

const ROWS = 5000;
const x = plantedInteractionRows(ROWS, 3);
const trainRows = Int32Array.from({ length: 4000 }, (_, i) => i);
const heldOut = Int32Array.from({ length: 1000 }, (_, i) => 4000 + i);
const started = performance.now();
const { sae } = await trainSae(
  { data: x.subarray(0, 4000 * D), d: D },
  { dSae: D_SAE, l1: L1, steps: 300, batchSize: 256, seed: 1 },
);
const residuals = residualDataFromSae(sae, x);
const nfmOptions = { trainRows, steps: 300, batchSize: 256, lr: 3e-3, k: 8, seed: 1 };
const nfm = (await trainNfm(residuals, { ...nfmOptions, variant: "full" })).model;
const mlp = (await trainNfm(residuals, { ...nfmOptions, variant: "mlp_matched" })).model;
const linear = (await trainNfm(residuals, { ...nfmOptions, variant: "linear-only" })).model;
console.log(`setup ${((performance.now() - started) / 1000).toFixed(1)} s`);

function snapshot(model: ResidualModel): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(model.exportTensors())) out[name] = t.data;
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

test("at step 0 the joint reconstruction is SAE(x) + head.predict(f), and the inputs are not changed", async () => {
  const saeBefore = structuredClone(sae.weights);
  const headBefore = snapshot(nfm);
  const tuned = await jointFineTune(sae, x, nfm, { l1: L1, trainRows, steps: 0 });
  assert.equal(tuned.steps, 0);
  assert.equal(tuned.stopReason, "completed");
  assert.deepEqual(tuned.sae.cfg, sae.cfg);
  const rows = heldOut.subarray(0, 200);
  const { f, xHat } = sae.reconstruct(x.subarray(4000 * D, 4200 * D));
  const y = nfm.predict(f, null, 200);
  const ours = jointRowErrors(tuned.sae, tuned.head, x, rows);
  const expected = new Float64Array(200);
  for (let i = 0; i < 200; i++) {
    for (let j = 0; j < D; j++) expected[i]! += (x[(4000 + i) * D + j]! - xHat[i * D + j]! - y[i * D + j]!) ** 2;
  }
  assert.ok(maxAbsDiff(ours.residual, expected) <= 1e-4, `max diff ${maxAbsDiff(ours.residual, expected)}`);
  tuned.sae.dispose();
  tuned.head?.dispose();

  // The first step's loss over one full batch is the loss of SAE(x) + head.predict in the training space.
  let first: number | null = null;
  const one = await jointFineTune(sae, x, nfm, {
    l1: L1,
    trainRows: rows,
    batchSize: rows.length,
    steps: 1,
    onProgress: (p) => {
      first = p.loss;
    },
  });
  const s = one.inputScale;
  let meanNorm = 0;
  for (const row of rows) meanNorm += Math.hypot(...x.subarray(row * D, (row + 1) * D)) / rows.length;
  assert.ok(Math.abs(s - Math.sqrt(D) / meanNorm) <= 1e-5 * s, `input scale ${s}`);
  let sparsity = 0;
  for (let i = 0; i < 200; i++) {
    for (let l = 0; l < D_SAE; l++) {
      sparsity += f[i * D_SAE + l]! * Math.hypot(...sae.weights.W_dec.subarray(l * D, (l + 1) * D)) * s;
    }
  }
  const expectedLoss = (s * s * expected.reduce((t, e) => t + e, 0) + L1 * sparsity) / 200;
  assert.ok(first !== null && Math.abs(first - expectedLoss) <= 1e-4 * expectedLoss, `${first} vs ${expectedLoss}`);
  one.sae.dispose();
  one.head?.dispose();

  assert.deepEqual(sae.weights, saeBefore);
  assert.deepEqual(snapshot(nfm), headBefore);
});

/** Σ_{i<j} fᵢfⱼ (vᵢ ∘ vⱼ) per row, formed pair by pair with a strictly upper-triangular mask. */
function densePairwise(f: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D {
  const [rows, m] = f.shape;
  const k = v.shape[1];
  const mask = tf.tensor2d(
    Float32Array.from({ length: m * m }, (_, n) => (Math.floor(n / m) < n % m ? 1 : 0)),
    [m, m],
  );
  const terms = tf.mul(tf.reshape(f, [rows, m, 1]), tf.reshape(v, [1, m, k])); // [B, m, K]: fᵢ vᵢ
  const byColumn = tf.reshape(tf.transpose(terms, [0, 2, 1]), [rows * k, m]); // [B·K, m]
  const later = tf.matMul(byColumn, tf.transpose(mask)); // Σ_{j>i} fⱼ vⱼ
  return tf.reshape(tf.sum(tf.mul(byColumn, later), 1), [rows, k]) as tf.Tensor2D;
}

test("with inputGradients, BI pooling's gradient w.r.t. f and V equals autodiff of the dense pairwise formula", () => {
  const rng = createRng(7);
  const rows = 6;
  const m = 20;
  const k = 4;
  tf.tidy(() => {
    const f = tf.tensor2d(
      Float32Array.from({ length: rows * m }, () => (rng.next() < 0.3 ? rng.next() * 2 : 0)),
      [rows, m],
    );
    const v = tf.tensor2d(normalArray(m * k, rng, 0.5), [m, k]);
    const weights = tf.tensor2d(normalArray(rows * k, rng), [rows, k]);
    const loss = (pool: (f: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D) => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(pool(a as tf.Tensor2D, b as tf.Tensor2D), weights));
    const [df, dv] = tf.grads(loss((a, b) => biInteraction(a, b, { inputGradients: true })))([f, v]);
    const [refF, refV] = tf.grads(loss(densePairwise))([f, v]);
    assert.ok(maxAbsDiff(df!.dataSync(), refF!.dataSync()) <= 1e-5, "∂/∂f");
    assert.ok(maxAbsDiff(dv!.dataSync(), refV!.dataSync()) <= 1e-5, "∂/∂V");
    assert.ok(tf.max(tf.abs(df!)).dataSync()[0]! > 0.1, "the gradient w.r.t. f is not trivially zero");
  });
});

test("with inputGradients, the full NFM passes the exact gradient to f (quadratic in f: central differences are exact)", () => {
  const rng = createRng(11);
  const config = { dSae: 12, dIn: 5, linear: "f" as const, interaction: { k: 3, hidden: [] }, mlp: null };
  const model = new ResidualModel(config, { f: 1, x: 1, r: 1 }, rng, 0.5);
  tf.tidy(() => {
    model.params["W"]!.assign(tf.tensor2d(normalArray(12 * 5, rng, 0.3), [12, 5]));
    const f = tf.tensor2d(
      Float32Array.from({ length: 4 * 12 }, () => (rng.next() < 0.4 ? rng.next() : 0)),
      [4, 12],
    );
    const direction = tf.tensor2d(normalArray(4 * 12, rng), [4, 12]);
    const target = tf.tensor2d(normalArray(4 * 5, rng), [4, 5]);
    const loss = (input: tf.Tensor) =>
      tf.sum(tf.mul(model.forward(input as tf.Tensor2D, null, null, { inputGradients: true }), target));
    const gradient = tf.grad(loss)(f);
    const analytic = tf.sum(tf.mul(gradient, direction)).dataSync()[0]!;
    const eps = 0.25;
    const plus = loss(tf.add(f, tf.mul(direction, eps))).dataSync()[0]!;
    const minus = loss(tf.sub(f, tf.mul(direction, eps))).dataSync()[0]!;
    const numeric = (plus - minus) / (2 * eps);
    assert.ok(Math.abs(analytic - numeric) <= 1e-4 * Math.max(1, Math.abs(numeric)), `${analytic} vs ${numeric}`);
  });
  model.dispose();
});

test("with inputGradients, the MLP control passes the gradient of its first layer to f", () => {
  const rng = createRng(12);
  const config = { dSae: 12, dIn: 5, linear: null, interaction: null, mlp: [7] };
  const model = new ResidualModel(config, { f: 1, x: 1, r: 1 }, rng);
  tf.tidy(() => {
    const f = tf.tensor2d(
      Float32Array.from({ length: 4 * 12 }, () => (rng.next() < 0.4 ? rng.next() : 0)),
      [4, 12],
    );
    const target = tf.tensor2d(normalArray(4 * 5, rng), [4, 5]);
    const p = model.params;
    const reference = (input: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.add(
            tf.matMul(tf.relu(tf.add(tf.matMul(input as tf.Tensor2D, p["mlp0_W"]!), p["mlp0_b"]!)), p["mlp1_W"]!),
            p["bias"]!,
          ),
          target,
        ),
      );
    const ours = (input: tf.Tensor) =>
      tf.sum(tf.mul(model.forward(input as tf.Tensor2D, null, null, { inputGradients: true }), target));
    const expected = tf.grad(reference)(f);
    assert.ok(maxAbsDiff(tf.grad(ours)(f).dataSync(), expected.dataSync()) <= 1e-5);
    assert.ok(tf.max(tf.abs(expected)).dataSync()[0]! > 1e-3, "the reference gradient is not trivially zero");
  });
  model.dispose();
});

test("joint fine-tuning reduces held-out error and the study reports paired gains against the SAE tuned alone", async () => {
  const before = tf.memory().numTensors;
  const start = jointRowErrors(sae, nfm, x, heldOut);
  const common = { l1: L1, trainRows, steps: 150, batchSize: 256, lr: 1e-3, seed: 2 };
  const counts: number[] = [];
  const tuned = await jointFineTune(sae, x, nfm, {
    ...common,
    onProgress: (p) => p.step > 2 && counts.push(tf.memory().numTensors),
  });
  assert.equal(tuned.stopReason, "completed");
  assert.equal(Math.max(...counts), Math.min(...counts), "tensors per step are flat");
  const after = jointRowErrors(tuned.sae, tuned.head, x, heldOut);
  const gain = errorReductionGainCi(after, start);
  console.log(
    `EV joint ${errorReductionOf(start).toFixed(4)} → ${errorReductionOf(after).toFixed(4)} (L0 ${start.l0.toFixed(2)} → ${after.l0.toFixed(2)}), gain ${JSON.stringify(gain)}`,
  );
  assert.ok(gain.ci95[0] > 0, `fine-tuning gain ${JSON.stringify(gain)}`);
  tuned.sae.dispose();
  tuned.head?.dispose();

  const { report, kept } = await runJointStudy(
    sae,
    x,
    [
      { name: "nfm", model: nfm },
      { name: "linear", model: linear },
      { name: "mlp", model: mlp },
    ],
    { ...common, heldOutRows: heldOut, bootstrap: { resamples: 200 }, keep: true },
  );
  assert.deepEqual(
    report.arms.map((a) => [a.name, a.role]),
    [
      ["sae_alone", "sae_alone"],
      ["nfm", "nfm"],
      ["linear", "linear"],
      ["mlp", "mlp"],
    ],
  );
  assert.deepEqual(report.joint_interaction_gain?.arms, ["nfm", "linear"]);
  // Planted pairwise structure: the NFM arm must beat the arm that can take over decoding linearly.
  console.log(report.sentence);
  assert.match(report.sentence, /SAE \+ NFM explains .* more than the SAE fine-tuned alone/);
  assert.match(report.label, /SAE itself changes/);
  assert.match(report.label, /L0/);
  assert.deepEqual(report.joint_gain?.arms, ["nfm", "sae_alone"]);
  assert.deepEqual(report.joint_specificity?.arms, ["nfm", "mlp"]);
  const nfmArm = report.arms[1]!;
  assert.ok(Math.abs(nfmArm.after.ev - errorReductionOf(after)) < 1e-6, "same seed and batches as jointFineTune");
  assert.ok(Math.abs(nfmArm.before.ev - errorReductionOf(start)) < 1e-9);
  const keptNfm = kept?.["nfm"];
  assert.ok(keptNfm?.head, "kept models are returned when asked");
  assert.ok(Math.abs(errorReductionOf(jointRowErrors(keptNfm.sae, keptNfm.head, x, heldOut)) - nfmArm.after.ev) < 1e-9);
  const decoderNorm = (s: Sae) => {
    let total = 0;
    for (let l = 0; l < D_SAE; l++) total += Math.hypot(...s.weights.W_dec.subarray(l * D, (l + 1) * D)) / D_SAE;
    return total;
  };
  assert.ok(Math.abs(nfmArm.before.mean_decoder_norm - decoderNorm(sae)) < 1e-6);
  assert.ok(Math.abs(nfmArm.after.mean_decoder_norm - decoderNorm(keptNfm.sae)) < 1e-6);
  for (const arm of report.arms) {
    console.log(
      `${arm.name}: EV ${arm.before.ev.toFixed(4)} → ${arm.after.ev.toFixed(4)}, SAE part ${arm.before.sae_ev.toFixed(4)} → ${arm.after.sae_ev.toFixed(4)}, L0 ${arm.before.l0.toFixed(2)} → ${arm.after.l0.toFixed(2)}, mean ‖W_dec‖ ${arm.before.mean_decoder_norm.toFixed(3)} → ${arm.after.mean_decoder_norm.toFixed(3)}`,
    );
  }
  console.log(
    `joint_gain ${JSON.stringify(report.joint_gain)}, joint_specificity ${JSON.stringify(report.joint_specificity)}`,
  );
  for (const model of Object.values(kept ?? {})) {
    model.sae.dispose();
    model.head?.dispose();
  }
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  assert.equal(tf.memory().numTensors, before);
});

test("abort stops at the next step and a diverging run stops with its last finite weights", async () => {
  const controller = new AbortController();
  const aborted = await jointFineTune(sae, x, nfm, {
    l1: L1,
    trainRows,
    steps: 50,
    batchSize: 128,
    signal: controller.signal,
    onProgress: (p) => p.step === 3 && controller.abort(),
  });
  assert.equal(aborted.stopReason, "aborted");
  assert.equal(aborted.steps, 3);
  aborted.sae.dispose();
  aborted.head?.dispose();

  const diverged = await jointFineTune(sae, x, nfm, { l1: L1, trainRows, steps: 50, batchSize: 128, lr: 1e10 });
  assert.equal(diverged.stopReason, "non_finite");
  assert.ok(diverged.steps > 0 && diverged.steps < 50, `stopped after ${diverged.steps} steps`);
  for (const w of Object.values(diverged.sae.weights)) assert.ok(w.every(Number.isFinite), "SAE weights finite");
  for (const t of Object.values(diverged.head!.exportTensors())) assert.ok(t.data.every(Number.isFinite));
  diverged.sae.dispose();
  diverged.head?.dispose();

  // A head with dropout and batch norm: training mode per step, no leak, and running statistics kept finite.
  const before = tf.memory().numTensors;
  const interaction = { k: 8, hidden: [8], dropout: 0.2, batchNorm: true };
  const normed = new ResidualModel({ ...nfm.config, interaction }, nfm.scales, createRng(4));
  for (const lr of [1e-4, 1e10]) {
    const run = await jointFineTune(sae, x, normed, { l1: L1, trainRows, steps: 20, batchSize: 128, lr });
    assert.equal(run.stopReason, lr > 1 ? "non_finite" : "completed");
    for (const t of Object.values(run.head!.exportTensors())) assert.ok(t.data.every(Number.isFinite));
    run.sae.dispose();
    run.head?.dispose();
  }
  normed.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("only standard SAEs and heads on f are accepted, with errors that say what to do", async () => {
  const topk: SaeConfig = { ...sae.cfg, architecture: "topk", k: 4 };
  const other = new Sae(topk, sae.weights);
  await assert.rejects(jointFineTune(other, x, null, { l1: L1 }), /only the "standard" SAE architecture/);
  const config = { ...nfm.config, linear: "x" as const };
  const onX = new ResidualModel(config, nfm.scales, createRng(0));
  await assert.rejects(jointFineTune(sae, x, onX, { l1: L1 }), /linear term on x/);
  onX.dispose();
});
