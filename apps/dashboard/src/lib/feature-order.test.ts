import assert from "node:assert/strict";
import { test } from "node:test";
import { ariaSort, nextFeatureOrder, parseFeatureOrder } from "./feature-order";

test("unknown or missing orders fall back to index order", () => {
  assert.equal(parseFeatureOrder(undefined), "INDEX_ASC");
  assert.equal(parseFeatureOrder("DENSITY"), "INDEX_ASC");
  assert.equal(parseFeatureOrder(["MAX_ACTIVATION_ASC", "DENSITY_DESC"]), "MAX_ACTIVATION_ASC");
});

test("a column sorts descending first and flips on the second click", () => {
  assert.equal(nextFeatureOrder("INDEX_ASC", "DENSITY"), "DENSITY_DESC");
  assert.equal(nextFeatureOrder("DENSITY_DESC", "DENSITY"), "DENSITY_ASC");
  assert.equal(nextFeatureOrder("DENSITY_ASC", "DENSITY"), "DENSITY_DESC");
  assert.equal(nextFeatureOrder("DENSITY_ASC", "MAX_ACTIVATION"), "MAX_ACTIVATION_DESC");
  assert.equal(nextFeatureOrder("MAX_ACTIVATION_DESC", "INDEX"), "INDEX_ASC");
});

test("aria-sort reflects the active column only", () => {
  assert.equal(ariaSort("DENSITY_DESC", "DENSITY"), "descending");
  assert.equal(ariaSort("DENSITY_DESC", "MAX_ACTIVATION"), "none");
  assert.equal(ariaSort("INDEX_ASC", "INDEX"), "ascending");
});
