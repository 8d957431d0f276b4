import assert from "node:assert/strict";
import { test } from "node:test";
import { BALANCED_2X2 as BALANCED } from "../testing/two-way-examples.js";
import { TwoWayDesign } from "./anova2.js";
import { cellSummaries } from "./cells.js";

// Reference: mean ± scipy.stats.t.ppf(0.975, 4) · sd / √5 per cell.
test("cell means carry 95% t intervals", () => {
  const cells = cellSummaries(new TwoWayDesign(BALANCED), BALANCED.y);
  const expected = [
    { a: 0, b: 0, mean: 5, ci95: [3.036756839, 6.963243161] },
    { a: 0, b: 1, mean: 8, ci95: [6.036756839, 9.963243161] },
    { a: 1, b: 0, mean: 6, ci95: [4.036756839, 7.963243161] },
    { a: 1, b: 1, mean: 14, ci95: [12.03675684, 15.96324316] },
  ];
  expected.forEach((want, c) => {
    const got = cells[c]!;
    assert.equal(got.a, want.a);
    assert.equal(got.b, want.b);
    assert.equal(got.n, 5);
    assert.ok(Math.abs(got.mean - want.mean) < 1e-12);
    assert.ok(Math.abs(got.ci95[0] - want.ci95[0]!) < 1e-6 && Math.abs(got.ci95[1] - want.ci95[1]!) < 1e-6);
  });
});
