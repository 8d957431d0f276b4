import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePairOrder, parseSupportedOnly } from "./pair-order";

test("the URL's pair order and filter fall back to |strength| and all pairs", () => {
  assert.equal(parsePairOrder("LIFT"), "LIFT");
  assert.equal(parsePairOrder(["CONTRIBUTION", "LIFT"]), "CONTRIBUTION");
  assert.equal(parsePairOrder("nonsense"), "STRENGTH");
  assert.equal(parsePairOrder(undefined), "STRENGTH");
  assert.equal(parseSupportedOnly("1"), true);
  assert.equal(parseSupportedOnly("yes"), false);
});
