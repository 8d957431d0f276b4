import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, normalArray } from "../stats/rng.js";
import { arrayRowSource } from "./row-source.js";
import { Sae } from "./sae.js";
import { syntheticSparseRows } from "./synthetic.js";
import { reconstructionEr, trainSae, validationScores } from "./train.js";

await tf.setBackend("wasm");

const d = 16;
const { data } = syntheticSparseRows({ rows: 800, d, features: 24, activePerRow: 3, seed: 6 });

for (const architecture of ["standard", "topk"]) {
  test(`${architecture}: a run cancelled and resumed from its checkpoint ends bit-for-bit like an uninterrupted run`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sae-resume-"));
    try {
      const options = { architecture, dSae: 32, k: 4, steps: 24, batchSize: 64, deadWindowSteps: 3, seed: 2 };
      const straight = await trainSae(arrayRowSource(data, d, 5), options);
      const controller = new AbortController();
      const first = await trainSae(arrayRowSource(data, d, 5), {
        ...options,
        checkpointDir: dir,
        checkpointEvery: 10,
        signal: controller.signal,
        onProgress: (p) => p.step === 13 && controller.abort(),
      });
      assert.equal(first.stopReason, "aborted");
      const resumed = await trainSae(arrayRowSource(data, d, 5), { ...options, checkpointDir: dir, resume: true });
      assert.equal(resumed.stopReason, "completed");
      assert.deepEqual(resumed.sae.weights, straight.sae.weights);
      for (const r of [straight, first, resumed]) r.sae.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("resuming a checkpoint of another architecture is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sae-resume-"));
  try {
    const options = { dSae: 16, steps: 3, batchSize: 32, checkpointDir: dir };
    (await trainSae(arrayRowSource(data, d, 5), { ...options, architecture: "standard" })).sae.dispose();
    await assert.rejects(
      trainSae(arrayRowSource(data, d, 5), { ...options, architecture: "topk", k: 4, resume: true }),
      /checkpoint in .* is of a "standard" SAE, not "topk"/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad options are rejected with a message naming the fix", async () => {
  await assert.rejects(trainSae({ data, d }, { dSae: 0 }), /dSae must be a positive integer/);
  await assert.rejects(
    trainSae({ data, d }, { dSae: 8, architecture: "jumprelu" }),
    /"jumprelu" is inference-only; train "standard" or "topk"/,
  );
  await assert.rejects(trainSae({ data, d }, { dSae: 8, architecture: "gated" }), /unknown SAE architecture "gated"/);
});

test("early stopping on validation rows returns the best measured weights and their curve", async () => {
  const train = data.subarray(0, 100 * d);
  const validation = data.subarray(600 * d);
  const run = await trainSae(
    { data: train, d },
    {
      dSae: 64,
      l1: 0.05,
      steps: 600,
      batchSize: 20,
      lr: 1e-2,
      seed: 3,
      earlyStopping: { validation, every: 5, patience: 4 },
    },
  );
  const trace = run.validation!;
  const best = Math.max(...trace.curve.map((p) => p.score));
  const chosen = trace.curve.find((p) => p.score === best)!;
  assert.equal(chosen.step, trace.bestStep);
  assert.equal(trace.bestEr, chosen.val_er);
  if (run.stopReason === "early_stopped") assert.equal(run.steps, trace.bestStep + 4 * 5);
  else assert.equal(run.stopReason, "completed");
  const restored = reconstructionEr(run.sae, validation);
  assert.ok(Math.abs(restored - chosen.val_er) < 1e-6, `returned SAE ${restored} vs its measurement ${chosen.val_er}`);
  run.sae.dispose();
});

test("early stopping keeps the best training objective, not the best ER: never a dense code of the λ warm-up", async () => {
  const validation = data.subarray(600 * d);
  const warmup = 60;
  const run = await trainSae(
    { data: data.subarray(0, 500 * d), d },
    {
      dSae: 64,
      l1: 2,
      l1WarmupSteps: warmup,
      steps: 300,
      batchSize: 50,
      lr: 1e-2,
      seed: 3,
      earlyStopping: { validation, every: 5, patience: 1000 },
    },
  );
  const trace = run.validation!;
  const bestEr = trace.curve.reduce((a, b) => (b.val_er > a.val_er ? b : a));
  assert.ok(bestEr.step < warmup, `ER peaks during the warm-up (step ${bestEr.step})`);
  assert.ok(trace.bestStep >= warmup, `the kept weights come after the warm-up, got step ${trace.bestStep}`);
  assert.ok(trace.bestEr < bestEr.val_er, "the kept weights trade ER for sparsity, as the objective asks");
  run.sae.dispose();
});

test("validation scores: the ER, and the objective's score lowered by λ·Σ f‖W_dec‖", () => {
  const sae = new Sae(
    {
      architecture: "standard",
      d_in: 4,
      d_sae: 2,
      apply_b_dec_to_input: true,
      normalize_activations: "none",
      metadata: {},
    },
    {
      W_enc: Float32Array.from([1, 0, 0, 1, 0, 0, 0, 0]),
      b_enc: new Float32Array(2),
      W_dec: Float32Array.from([2, 0, 0, 0, 0, 1, 0, 0]),
      b_dec: new Float32Array(4),
    },
  );
  // x = (1, 1, 0, 0): f = (1, 1); x̂ = (2, 1, 0, 0); ‖x − x̂‖² = 1; ‖x‖² = 2; Σ f‖W_dec‖ = 2 + 1 = 3.
  const x = Float32Array.from([1, 1, 0, 0]);
  assert.deepEqual(validationScores(sae, x, 0), { er: 0.5, score: 0.5 });
  const { er, score } = validationScores(sae, x, 0.1);
  assert.equal(er, 0.5);
  assert.ok(Math.abs(score - (1 - (1 + 0.3) / 2)) < 1e-9, String(score));
  sae.dispose();
});

test("initialWeights: training starts from the given weights, and wrong sizes are refused", async () => {
  const m = 8;
  const rng = createRng(3);
  const initialWeights = {
    W_enc: normalArray(d * m, rng),
    W_dec: normalArray(m * d, rng),
    b_enc: normalArray(m, rng),
    b_dec: normalArray(d, rng),
  };
  const options = { dSae: m, steps: 1, batchSize: 16, lr: 0, normalize: "none" as const };
  const result = await trainSae({ data, d }, { ...options, initialWeights });
  for (const name of ["W_enc", "W_dec", "b_enc", "b_dec"] as const) {
    assert.deepEqual(result.sae.weights[name], initialWeights[name], name);
  }
  result.sae.dispose();
  await assert.rejects(
    trainSae({ data, d }, { ...options, initialWeights: { ...initialWeights, b_enc: new Float32Array(3) } }),
    /initialWeights.b_enc has 3 values; a standard SAE with d_in 16 and dSae 8 needs 8/,
  );
  await assert.rejects(
    trainSae({ data, d }, { ...options, products: "fast" as "auto" }),
    /products must be "auto", "dense" or "sparse", got "fast"/,
  );
});
