import assert from "node:assert/strict";
import { test } from "node:test";
import { balancedAccuracy, confusionCounts } from "./balanced-accuracy.js";

test("balanced accuracy is the mean of the two class recalls", () => {
  // 4 positives: 3 found; 2 negatives: 1 rejected → (3/4 + 1/2) / 2 = 0.625
  const counts = confusionCounts([true, true, true, true, false, false], [true, true, true, false, false, true]);
  assert.deepEqual(counts, { truePositives: 3, falseNegatives: 1, trueNegatives: 1, falsePositives: 1 });
  assert.equal(balancedAccuracy(counts), 0.625);
});

test("always answering yes scores chance, not the share of positives", () => {
  const counts = confusionCounts([true, true, true, false], [true, true, true, true]);
  assert.equal(balancedAccuracy(counts), 0.5);
});

test("one class only: its recall; no answers: undefined; mismatched lengths: an error", () => {
  assert.equal(balancedAccuracy(confusionCounts([true, true], [true, false])), 0.5);
  assert.equal(balancedAccuracy(confusionCounts([], [])), undefined);
  assert.throws(() => confusionCounts([true], []), /1 truths but 0 predictions/);
});
