import assert from "node:assert/strict";
import { test } from "node:test";
import {
  averageRowErrors,
  errorReductionCi,
  errorReductionGainCi,
  percentileInterval,
  type RowErrors,
} from "./bootstrap.js";
import { createRng } from "./rng.js";

function rowsWithEr(n: number, er: number, seed: number) {
  const rng = createRng(seed);
  const total = new Float64Array(n);
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    total[i] = 1 + rng.next();
    residual[i] = total[i]! * (1 - er) * (0.5 + rng.next());
  }
  return { total, residual };
}

test("percentileInterval interpolates the 2.5% and 97.5% quantiles", () => {
  const samples = Float64Array.from({ length: 101 }, (_, i) => 100 - i);
  const [lo, hi] = percentileInterval(samples, 0.95);
  assert.ok(Math.abs(lo - 2.5) < 1e-9);
  assert.ok(Math.abs(hi - 97.5) < 1e-9);
});

test("errorReductionCi brackets the point estimate and narrows with more rows", () => {
  const small = errorReductionCi(rowsWithEr(200, 0.3, 1), { seed: 3 });
  const large = errorReductionCi(rowsWithEr(5000, 0.3, 1), { seed: 3 });
  for (const e of [small, large]) {
    assert.ok(e.ci95[0] < e.value && e.value < e.ci95[1], JSON.stringify(e));
    assert.ok(Math.abs(e.value - 0.3) < 0.05, JSON.stringify(e));
  }
  assert.ok(large.ci95[1] - large.ci95[0] < small.ci95[1] - small.ci95[0]);
});

test("a paired gain of identical models is exactly zero; a real gain has a positive CI", () => {
  const a = rowsWithEr(1000, 0.3, 1);
  const same = errorReductionGainCi(a, a);
  assert.deepEqual([same.value, ...same.ci95], [0, 0, 0]);
  const better = { total: a.total, residual: a.residual.map((v) => v * 0.9) };
  const gain = errorReductionGainCi(better, a);
  assert.ok(gain.ci95[0] > 0, JSON.stringify(gain));
});

test("averageRowErrors gives the mean ER over seeds", () => {
  const a = rowsWithEr(100, 0.2, 1);
  const b = { total: a.total, residual: a.residual.map((v) => v * 0.5) };
  const avg = averageRowErrors([a, b]);
  const er = (r: RowErrors) => errorReductionCi(r, { resamples: 10 }).value;
  assert.ok(Math.abs(er(avg) - (er(a) + er(b)) / 2) < 1e-12);
});

test("mismatched row counts are rejected with a message naming the fix", () => {
  assert.throws(() => errorReductionGainCi(rowsWithEr(10, 0.1, 1), rowsWithEr(12, 0.1, 1)), /same held-out rows/);
});

test("a cluster bootstrap widens the interval when rows within a cluster are correlated", () => {
  const n = 2000;
  const rng = createRng(9);
  const total = new Float64Array(n).fill(1);
  const residual = new Float64Array(n);
  const groups = new Int32Array(n);
  let clusterEffect = 0;
  for (let i = 0; i < n; i++) {
    groups[i] = Math.floor(i / 100);
    if (i % 100 === 0) clusterEffect = rng.next() * 0.6;
    residual[i] = 0.5 + clusterEffect + rng.next() * 0.05;
  }
  const rows = errorReductionCi({ residual, total }, { seed: 1 });
  const clustered = errorReductionCi({ residual, total }, { seed: 1, groups });
  assert.equal(rows.value, clustered.value);
  assert.ok(clustered.ci95[1] - clustered.ci95[0] > 3 * (rows.ci95[1] - rows.ci95[0]));
  assert.throws(() => errorReductionCi({ residual, total }, { groups: new Int32Array(5) }), /one cluster id per row/);
});
