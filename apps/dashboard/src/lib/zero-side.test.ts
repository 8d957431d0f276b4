import assert from "node:assert/strict";
import { test } from "node:test";
import { describeZeroSide, zeroSide } from "./zero-side";

test("a CI excludes 0 only when both bounds lie on one side", () => {
  assert.equal(zeroSide([0.001, 0.02]), "above");
  assert.equal(zeroSide([-0.02, -0.001]), "below");
  assert.equal(zeroSide([-0.001, 0.02]), "includes");
  assert.equal(zeroSide([0, 0.02]), "includes", "a bound at exactly 0 does not exclude it");
  assert.equal(zeroSide(null), null);
  assert.equal(zeroSide([0.1]), null, "a malformed CI is no CI");
});

test("the exclusion reads in words, and a missing CI says so", () => {
  assert.equal(describeZeroSide("above"), "yes, above 0");
  assert.equal(describeZeroSide("below"), "yes, below 0");
  assert.equal(describeZeroSide("includes"), "no");
  assert.equal(describeZeroSide(null), "no CI");
});
