import assert from "node:assert/strict";
import { test } from "node:test";
import { benjaminiHochberg } from "./fdr.js";

// Reference: scipy.stats.false_discovery_control(p) (method "bh").
test("Benjamini–Hochberg q-values match scipy and skip NaN", () => {
  const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04]);
  const expected = [0.035, 0.056, 0.056, 0.035, 0.23333333, 0.5, 0.056];
  for (const [i, want] of expected.entries()) assert.ok(Math.abs(q[i]! - want) < 1e-8, `${i}: ${q[i]} vs ${want}`);
  const withNaN = benjaminiHochberg([0.01, Number.NaN, 0.02]);
  assert.ok(Number.isNaN(withNaN[1]!));
  assert.deepEqual([withNaN[0], withNaN[2]], [0.02, 0.02]);
  assert.throws(() => benjaminiHochberg([1.5]), /p-value 0 is 1.5/);
});
