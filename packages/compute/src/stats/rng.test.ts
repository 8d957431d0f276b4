import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng, permutation } from "./rng.js";

test("the same seed gives the same stream; another seed differs", () => {
  const a = createRng(7);
  const b = createRng(7);
  const c = createRng(8);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.next()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => c.next()),
  );
});

test("a generator resumed from its state continues the stream", () => {
  const a = createRng(1);
  a.next();
  const resumed = createRng(1, a.state());
  assert.equal(resumed.next(), a.next());
});

test("normals have mean ≈ 0 and variance ≈ 1", () => {
  const rng = createRng(3);
  let sum = 0;
  let sq = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    sum += z;
    sq += z * z;
  }
  assert.ok(Math.abs(sum / n) < 0.03);
  assert.ok(Math.abs(sq / n - 1) < 0.05);
});

test("permutation holds every index once", () => {
  const p = permutation(1000, createRng(2));
  assert.deepEqual(
    [...p].sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
});
