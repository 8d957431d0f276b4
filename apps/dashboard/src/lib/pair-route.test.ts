import assert from "node:assert/strict";
import { test } from "node:test";
import { kDimensionHref, pairHref, parsePair } from "./pair-route";

test("a pair's address puts the lower index first and reads back", () => {
  assert.equal(pairHref("s 1", 9, 4), "/studies/s%201/interactions/4-9");
  assert.deepEqual(parsePair("4-9"), { a: 4, b: 9 });
  assert.deepEqual(parsePair("9-4"), { a: 9, b: 4 });
  assert.equal(kDimensionHref("s", 3), "/studies/s/k/3");
});

test("anything but two distinct whole numbers is not a pair", () => {
  for (const raw of ["4-4", "4", "-1-2", "a-b", "1-2-3", "1.5-2", ""]) assert.equal(parsePair(raw), null, raw);
});
