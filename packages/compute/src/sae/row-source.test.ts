import assert from "node:assert/strict";
import { test } from "node:test";
import { arrayRowSource } from "./row-source.js";

test("a row subset is served in place, batch for batch as a copy of those rows would be, across epochs", () => {
  const d = 3;
  const data = Float32Array.from({ length: 10 * d }, (_, i) => i);
  const rows = Int32Array.from([7, 2, 9, 4]);
  const copy = new Float32Array(rows.length * d);
  for (const [k, row] of rows.entries()) copy.set(data.subarray(row * d, (row + 1) * d), k * d);
  const inPlace = arrayRowSource(data, d, 11, rows);
  const copied = arrayRowSource(copy, d, 11);
  for (let batch = 0; batch < 5; batch++) assert.deepEqual(inPlace.nextBatch(3), copied.nextBatch(3));
  assert.throws(() => arrayRowSource(data, d, 0, Int32Array.from([3, 10])), /rows in 0\.\.9/);
  assert.throws(() => arrayRowSource(data, d, 0, new Int32Array(0)), /non-empty/);
});
