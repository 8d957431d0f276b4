import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { errorReductionOf } from "../stats/bootstrap.js";
import { createRng, normalArray } from "../stats/rng.js";
import { affineErrors, DENSE_GRAM_LIMIT, fitAffine, RIDGE_GRID } from "./affine-fit.js";
import { modelRowErrors } from "./evaluate.js";
import { residualData, residualDataSparse } from "./residual-data.js";
import { syntheticResidualData } from "./synthetic.js";
import { trainNfm } from "./train.js";

await tf.setBackend("wasm");

const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);

/** Sparse codes (one feature never active), a planted map r = f·A + c, optionally with noise. */
function planted(noise: number) {
  const rows = 1500;
  const dSae = 24;
  const dIn = 6;
  const rng = createRng(3);
  const f = new Float32Array(rows * dSae);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < 4; k++) f[r * dSae + rng.int(dSae - 1)] = 0.5 + rng.next();
  }
  const a = normalArray(dSae * dIn, rng);
  const c = normalArray(dIn, rng);
  const target = new Float32Array(rows * dIn);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dIn; j++) {
      let y = c[j]!;
      for (let i = 0; i < dSae; i++) y += f[r * dSae + i]! * a[i * dIn + j]!;
      target[r * dIn + j] = y + noise * rng.normal();
    }
  }
  const x = normalArray(rows * dIn, rng);
  return { data: residualData(f, x, target, dSae, dIn), a, c, dSae, dIn };
}

test("the closed form recovers a planted affine map of the code to 1e-6, an unused feature getting zero weights", async () => {
  const { data, a, c, dSae, dIn } = planted(0);
  const fit = await fitAffine(data, {
    input: "f",
    train: { rows: range(0, 1000) },
    validation: { rows: range(1000, 1500) },
  });
  assert.equal(fit.ridge, 0, "without noise the least-squares end of the grid wins");
  let worst = 0;
  for (let i = 0; i < dSae - 1; i++) {
    for (let j = 0; j < dIn; j++) worst = Math.max(worst, Math.abs(fit.weights[i * dIn + j]! - a[i * dIn + j]!));
  }
  for (let j = 0; j < dIn; j++) worst = Math.max(worst, Math.abs(fit.intercept[j]! - c[j]!));
  assert.ok(worst <= 1e-6, `largest deviation ${worst}`);
  for (let j = 0; j < dIn; j++) assert.equal(fit.weights[(dSae - 1) * dIn + j], 0);
  assert.ok(fit.val_er > 1 - 1e-9 && fit.train_er > 1 - 1e-9);
  assert.ok(fit.curve.length >= 2 && fit.curve.every((point) => point.val_er <= fit.val_er));
});

test("a long SGD run of the same affine model approaches the closed form's training error from below", async () => {
  const { data } = planted(0.5);
  const train = range(0, 1000);
  const fit = await fitAffine(data, { input: "f", train: { rows: train }, validation: { rows: range(1000, 1500) } });
  const sgd = await trainNfm(data, {
    variant: "linear-only",
    trainRows: train,
    steps: 3000,
    batchSize: 250,
    lr: 1e-2,
  });
  const rows = modelRowErrors(sgd.model, data, train);
  sgd.model.dispose();
  const exact = errorReductionOf(affineErrors(data, fit, { rows: train }));
  const trained = errorReductionOf(rows);
  assert.ok(trained <= exact + 1e-4, `SGD ${trained} cannot beat the exact optimum ${exact}`);
  assert.ok(exact - trained < 2e-3, `SGD ${trained} vs closed form ${exact}`);
});

test("on x the fit is the same least squares, and a permuted pairing fits the permuted problem", async () => {
  const data = syntheticResidualData({ rows: 1200, dSae: 16, dIn: 5, activePerRow: 3, seed: 2 });
  const train = range(0, 800);
  const validation = range(800, 1200);
  const onX = await fitAffine(data, { input: "x", train: { rows: train }, validation: { rows: validation } });
  assert.equal(onX.weights.length, 5 * 5);
  const mean = new Float64Array(5);
  for (const row of train) for (let j = 0; j < 5; j++) mean[j]! += data.parts.r[row * 5 + j]! / train.length;
  const meanOnly = affineErrors(
    data,
    { input: "x", weights: new Float64Array(25), intercept: mean },
    { rows: validation },
  );
  const meanEr = errorReductionOf(meanOnly);
  assert.ok(Math.abs(onX.val_er - meanEr) < 0.02, `x is noise here: ${onX.val_er} vs the mean alone ${meanEr}`);
  const reversed = { rows: train, targets: Int32Array.from(train).reverse() };
  const permuted = await fitAffine(data, { input: "f", train: reversed, validation: { rows: validation } });
  const straight = await fitAffine(data, { input: "f", train: { rows: train }, validation: { rows: validation } });
  assert.ok(permuted.train_er < straight.train_er - 0.3, `${permuted.train_er} vs ${straight.train_er}`);
});

test("the iterative solver (CG through the sparse codes) gives the dense Cholesky solution at every λ", async () => {
  const { data } = planted(0.5);
  const train = { rows: range(0, 1000) };
  const validation = { rows: range(1000, 1500) };
  for (const ridgeGrid of [[0], [1e-3], [1e-1], RIDGE_GRID]) {
    const dense = await fitAffine(data, { input: "f", train, validation, ridgeGrid, solver: "dense" });
    const iterative = await fitAffine(data, { input: "f", train, validation, ridgeGrid, solver: "iterative" });
    assert.equal(iterative.ridge, dense.ridge);
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < dense.weights.length; i++) {
      diff += (dense.weights[i]! - iterative.weights[i]!) ** 2;
      norm += dense.weights[i]! ** 2;
    }
    assert.ok(Math.sqrt(diff / norm) <= 1e-6, `λ grid ${ridgeGrid}: relative difference ${Math.sqrt(diff / norm)}`);
    for (let j = 0; j < dense.intercept.length; j++) {
      assert.ok(Math.abs(dense.intercept[j]! - iterative.intercept[j]!) <= 1e-6);
    }
    assert.ok(Math.abs(dense.val_er - iterative.val_er) <= 1e-9);
    assert.deepEqual(
      iterative.curve.map((point) => point.ridge),
      dense.curve.map((point) => point.ridge),
    );
  }
  await assert.rejects(
    fitAffine(data, { input: "x", train, validation, solver: "iterative" }),
    /iterative solver works on the sparse code f/,
  );
});

test("codes wider than the dense limit are fitted without a p × p Gram matrix and still recover a planted map", async () => {
  const rows = 6000;
  const dSae = DENSE_GRAM_LIMIT + 200;
  const dIn = 3;
  const rng = createRng(11);
  const f = new Float32Array(rows * dSae);
  for (let r = 0; r < rows; r++) for (let k = 0; k < 12; k++) f[r * dSae + rng.int(dSae)] = 0.5 + rng.next();
  const a = normalArray(dSae * dIn, rng);
  const target = new Float32Array(rows * dIn);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < dSae; i++) {
      const v = f[r * dSae + i]!;
      if (v !== 0) for (let j = 0; j < dIn; j++) target[r * dIn + j]! += v * a[i * dIn + j]!;
    }
  }
  const data = residualData(f, normalArray(rows * dIn, rng), target, dSae, dIn);
  const fit = await fitAffine(data, {
    input: "f",
    train: { rows: range(0, 5000) },
    validation: { rows: range(5000, 6000) },
  });
  assert.equal(fit.inputs, dSae);
  assert.ok(fit.val_er > 0.95, `validation ER ${fit.val_er}`);
});

test("an aborted signal stops the fit between two λ", async () => {
  const { data } = planted(0.1);
  const controller = new AbortController();
  controller.abort(new Error("stop"));
  await assert.rejects(
    fitAffine(data, {
      input: "f",
      train: { rows: range(0, 1000) },
      validation: { rows: range(1000, 1500) },
      signal: controller.signal,
    }),
    /the affine fit was cancelled/,
  );
});

test("a fit on shifted targets (r_nl computed per read, in chunks) equals the fit on the same targets stored", async () => {
  const base = syntheticResidualData({ rows: 5000, dSae: 16, dIn: 5, activePerRow: 3, seed: 4 });
  const train = range(0, 4200);
  const validation = range(4200, 5000);
  const onX = await fitAffine(base, { input: "x", train: { rows: train }, validation: { rows: validation } });
  const shift = { weights: Float32Array.from(onX.weights), intercept: Float32Array.from(onX.intercept) };
  const { f, x, r } = base.parts;
  const shifted = residualDataSparse(f, x, r, base.dSae, base.dIn, shift);
  const stored = residualDataSparse(f, x, shifted.rowsOf("r", range(0, base.rows)), base.dSae, base.dIn);
  const options = { input: "f" as const, train: { rows: train }, validation: { rows: validation } };
  const [a, b] = [await fitAffine(shifted, options), await fitAffine(stored, options)];
  assert.equal(a.ridge, b.ridge);
  assert.ok(Math.abs(a.val_er - b.val_er) < 1e-9, `${a.val_er} vs ${b.val_er}`);
  for (let i = 0; i < a.weights.length; i++) assert.ok(Math.abs(a.weights[i]! - b.weights[i]!) < 1e-9);
  const errors = affineErrors(shifted, a, { rows: validation });
  assert.ok(Math.abs(errorReductionOf(errors) - a.val_er) < 1e-9);
});
