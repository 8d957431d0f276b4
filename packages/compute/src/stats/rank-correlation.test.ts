import assert from "node:assert/strict";
import { test } from "node:test";
import { averageRanks, pearson, spearman } from "./rank-correlation.js";

test("tied values share their mean rank", () => {
  assert.deepEqual([...averageRanks([3, 1, 3, 2])], [3.5, 1, 3.5, 2]);
});

test("Spearman is 1 for any increasing map, -1 for a decreasing one, and matches a hand computation", () => {
  const x = [1, 2, 3, 4, 5];
  assert.equal(
    spearman(
      x,
      x.map((v) => v ** 3),
    ),
    1,
  );
  assert.equal(
    spearman(
      x,
      x.map((v) => -Math.exp(v)),
    ),
    -1,
  );
  // d² = (0, 1, 1, 0, 0) → ρ = 1 − 6·2 / (5·24) = 0.9
  assert.ok(Math.abs(spearman(x, [1, 3, 2, 4, 5])! - 0.9) < 1e-12);
});

test("a constant side or fewer than two values has no correlation", () => {
  assert.equal(pearson([1, 1, 1], [1, 2, 3]), null);
  assert.equal(spearman([1], [2]), null);
});
