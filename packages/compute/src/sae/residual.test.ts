import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { residualRowSource, trainResidualSae } from "./residual.js";
import { arrayRowSource, splitRows } from "./row-source.js";
import { syntheticSparseRows } from "./synthetic.js";
import { trainSae } from "./train.js";

await tf.setBackend("wasm");

const d = 32;
const { data } = syntheticSparseRows({ rows: 8000, d, features: 96, activePerRow: 3, seed: 5 });
const { train, heldOut, heldOutIndex } = splitRows(data, d, 0.2, 2);
// A deliberately small main SAE leaves sparse structure in its error for the residual SAE to find.
const { sae } = await trainSae({ data: train, d }, { dSae: 24, l1: 1, steps: 150, batchSize: 256, seed: 1 });

test("the residual source serves x − SAE(x) and keeps the inner source's position", () => {
  const inner = arrayRowSource(train, d, 4);
  const twin = arrayRowSource(train, d, 4);
  const source = residualRowSource(inner, sae) as ReturnType<typeof arrayRowSource>;
  const x = twin.nextBatch(10);
  const { xHat } = sae.reconstruct(x);
  const r = source.nextBatch(10);
  for (let i = 0; i < r.length; i++) assert.ok(Math.abs(r[i]! - (x[i]! - xHat[i]!)) < 1e-6);
  const saved = source.state();
  const next = source.nextBatch(5);
  source.restore(saved);
  assert.deepEqual(source.nextBatch(5), next);
  assert.throws(
    () => residualRowSource(arrayRowSource(new Float32Array(8), 4), sae),
    /width 4 but the SAE takes d_in 32/,
  );
});

test("the residual SAE is trained at λ, λ/3 and 3λ and scored with window-clustered CIs on held-out rows", async () => {
  const groups = Int32Array.from(heldOutIndex, (row) => Math.floor(row / 16));
  const report = await trainResidualSae(
    sae,
    () => arrayRowSource(train, d, 7),
    { x: heldOut, groups },
    {
      l1: 1,
      steps: 200,
      batchSize: 256,
      bootstrap: { resamples: 200 },
    },
  );
  assert.equal(report.heldOutRows, heldOut.length / d);
  assert.deepEqual(
    report.runs.map((r) => r.l1),
    [1 / 3, 1, 3],
  );
  assert.equal(report.main.l1, 1);
  assert.ok(report.mean_norm_r < report.mean_norm_x && report.residual_energy_fraction < 1);
  for (const run of report.runs) {
    assert.ok(run.ci95[0] <= run.er && run.er <= run.ci95[1], JSON.stringify(run));
    assert.equal(run.stopReason, "completed");
  }
  // The error of a too-small SAE is itself sparse: a control that can learn explains much of it.
  assert.ok(report.main.er > 0.3, `residual ER ${report.main.er}`);
  assert.ok(report.runs[0]!.l0 > report.runs[2]!.l0, "a smaller λ gives a denser code");
  await assert.rejects(
    trainResidualSae(sae, () => arrayRowSource(train, d), { x: heldOut, groups: groups.slice(1) }, { l1: 1 }),
    /do not form the same/,
  );
});
