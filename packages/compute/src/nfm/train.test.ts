import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { errorReductionGainCi, errorReductionOf } from "../stats/bootstrap.js";
import { errorReduction, predictorRowErrors } from "./evaluate.js";
import { syntheticResidualData } from "./synthetic.js";
import { trainNfm } from "./train.js";

await tf.setBackend("wasm");

const data = syntheticResidualData({ rows: 6000, dSae: 48, dIn: 16, activePerRow: 5, seed: 1 });
const trainRows = Int32Array.from({ length: 5000 }, (_, i) => i);
const heldOut = Int32Array.from({ length: 1000 }, (_, i) => 5000 + i);
const common = { trainRows, steps: 600, batchSize: 256, lr: 3e-3, k: 8, seed: 1 };

test("the full NFM recovers planted pairwise interactions that a linear map of f cannot", async () => {
  const before = tf.memory().numTensors;
  const full = await trainNfm(data, { ...common, variant: "full" });
  const linear = await trainNfm(data, { ...common, variant: "linear-only" });
  const erFull = errorReduction(full.model, data, heldOut);
  const erLinear = errorReduction(linear.model, data, heldOut);
  assert.equal(full.stopReason, "completed");
  assert.ok(erFull.er > 0.8, `full ER ${erFull.er}`);
  assert.ok(erFull.ci95[0] <= erFull.er && erFull.er <= erFull.ci95[1]);
  const gain = errorReductionGainCi(erFull.rowErrors, erLinear.rowErrors);
  assert.ok(gain.ci95[0] > 0.1, `interaction gain ${JSON.stringify(gain)}`);
  full.model.dispose();
  linear.model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("on purely linear targets the interaction path adds nothing and the permutation null explains no more than the mean", async () => {
  const linearData = syntheticResidualData({ rows: 6000, dSae: 48, dIn: 16, activePerRow: 5, interaction: 0, seed: 2 });
  const full = await trainNfm(linearData, { ...common, variant: "full" });
  const linear = await trainNfm(linearData, { ...common, variant: "linear-only" });
  const shuffled = await trainNfm(linearData, { ...common, variant: "full", permuteTargets: true });
  const gain = errorReductionGainCi(
    errorReduction(full.model, linearData, heldOut).rowErrors,
    errorReduction(linear.model, linearData, heldOut).rowErrors,
  );
  assert.ok(Math.abs(gain.value) < 0.02, `gain on linear data ${JSON.stringify(gain)}`);
  const nullEr = errorReduction(shuffled.model, linearData, heldOut).er;
  const { r } = linearData.batch(trainRows);
  const mean = new Float32Array(16);
  for (let i = 0; i < r.length; i++) mean[i % 16]! += r[i]! / trainRows.length;
  const meanOnly = errorReductionOf(
    predictorRowErrors(linearData, heldOut, (_, n) => {
      const y = new Float32Array(n * 16);
      for (let i = 0; i < y.length; i++) y[i] = mean[i % 16]!;
      return y;
    }),
  );
  assert.ok(Math.abs(nullEr - meanOnly) < 0.03, `permutation null ER ${nullEr}, predicting the mean ${meanOnly}`);
  for (const m of [full, linear, shuffled]) m.model.dispose();
});

test("NFM training with dropout and batch norm keeps numTensors flat per step and its predictions finite", async () => {
  const counts: number[] = [];
  const run = await trainNfm(data, {
    ...common,
    steps: 40,
    dropout: 0.2,
    batchNorm: true,
    hidden: [8, 8],
    onProgress: (p) => p.step > 2 && counts.push(tf.memory().numTensors),
  });
  assert.equal(Math.max(...counts), Math.min(...counts));
  const { er } = errorReduction(run.model, data, heldOut);
  assert.ok(Number.isFinite(er));
  run.model.dispose();
});

test("early stopping ends after `patience` measurements without a new best and restores the best step's weights", async () => {
  // Few training rows and many features: the full NFM overfits, so validation ER peaks and falls.
  const data = syntheticResidualData({ rows: 700, dSae: 96, dIn: 8, activePerRow: 6, noise: 0.5, seed: 11 });
  const trainRows = Int32Array.from({ length: 150 }, (_, i) => i);
  const validation = { rows: Int32Array.from({ length: 550 }, (_, i) => 150 + i) };
  const run = await trainNfm(data, {
    variant: "full",
    k: 16,
    trainRows,
    steps: 3000,
    batchSize: 50,
    lr: 1e-2,
    earlyStopping: { validation, every: 10, patience: 5 },
  });
  const trace = run.validation!;
  assert.equal(run.stopReason, "early_stopped");
  const best = Math.max(...trace.curve.map((p) => p.val_er));
  assert.equal(trace.bestEr, best);
  assert.equal(trace.curve.find((p) => p.val_er === best)!.step, trace.bestStep);
  assert.equal(run.steps, trace.bestStep + 5 * 10, "stopped five measurements after the best");
  assert.ok(trace.curve.at(-1)!.val_er < best, "the last measurement is worse than the best");
  const restored = errorReduction(run.model, data, validation.rows).er;
  assert.ok(Math.abs(restored - best) < 1e-9, `restored weights give ${restored}, the best step ${best}`);
  run.model.dispose();
});
