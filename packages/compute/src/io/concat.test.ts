import assert from "node:assert/strict";
import { test } from "node:test";
import { concatFloat32, concatInt32 } from "./concat.js";

test("concatFloat32 joins the parts in order into a new array", () => {
  const a = new Float32Array([1, 2]);
  const b = new Float32Array([3]);
  const joined = concatFloat32([a, new Float32Array(0), b, [4.5, 5]]);
  assert.ok(joined instanceof Float32Array);
  assert.deepEqual([...joined], [1, 2, 3, 4.5, 5]);
  joined[0] = 9;
  assert.equal(a[0], 1, "the parts are copied, not shared");
  assert.equal(concatFloat32([]).length, 0);
});

test("concatInt32 joins the parts in order into a new array", () => {
  const joined = concatInt32([new Int32Array([7]), [8, 9]]);
  assert.ok(joined instanceof Int32Array);
  assert.deepEqual([...joined], [7, 8, 9]);
});
