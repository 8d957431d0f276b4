import assert from "node:assert/strict";
import { test } from "node:test";
import { log10DensityHistogram } from "./density-histogram.js";

test("bins log10 densities of firing features, covering min to max", () => {
  const bins = log10DensityHistogram([0.001, 0.01, 0.01, 0.1, 0], 2);
  assert.deepEqual(bins, [
    { lo: -3, hi: -2, count: 1 },
    { lo: -2, hi: -1, count: 3 },
  ]);
});

test("one distinct value makes one bin; no firing feature makes none", () => {
  assert.deepEqual(log10DensityHistogram([0.01, 0.01], 5), [{ lo: -2, hi: -2, count: 2 }]);
  assert.deepEqual(log10DensityHistogram([0, 0], 5), []);
});
